-- V13: a call's provider may be inferred, and audio tokens are priced apart from text.
--
-- provider_inferred: no dialect named the provider (Langfuse generations carry only a model), so enrich took it from
-- the price catalog's own model matching (gpt-4o-mini-2024-07-18 is OpenAI's). False for reported providers.
-- input_audio_tokens / output_audio_tokens: the audio parts of input_tokens and output_tokens (OpenInference's
-- prompt/completion audio details, Langfuse's input_audio_tokens / output_audio_tokens), which the catalog prices at
-- their own rates; stored so that recompute prices a call as enrich did. Nullable, no rewrite of existing rows.
ALTER TABLE llm_calls
    ADD COLUMN provider_inferred   boolean DEFAULT false,
    ADD COLUMN input_audio_tokens  bigint,
    ADD COLUMN output_audio_tokens bigint;
