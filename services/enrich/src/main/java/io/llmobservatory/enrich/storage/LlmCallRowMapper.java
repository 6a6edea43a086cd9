package io.llmobservatory.enrich.storage;

import io.llmobservatory.enrich.cost.Cost;
import io.llmobservatory.enrich.genai.LlmCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Priced calls to the column arrays of {@link TraceRepository#INSERT_CALLS}. */
final class LlmCallRowMapper {
    private LlmCallRowMapper() {
    }

    static Tuple toTuple(String tenant, List<PricedCall> calls) {
        int n = calls.size();
        Buffer[] traceId = new Buffer[n], spanId = new Buffer[n];
        String[] service = new String[n], provider = new String[n];
        String[] operation = new String[n], requestModel = new String[n], responseModel = new String[n], model = new String[n];
        Long[] start = new Long[n], input = new Long[n], output = new Long[n], total = new Long[n], cacheRead = new Long[n];
        Long[] cacheWrite = new Long[n], reasoning = new Long[n], duration = new Long[n];
        String[] inputCost = new String[n], cacheReadCost = new String[n], cacheWriteCost = new String[n];
        String[] outputCost = new String[n], reasoningCost = new String[n], cost = new String[n];
        String[] priceSource = new String[n], costSource = new String[n], priceVersion = new String[n];
        String[] provided = new String[n];
        Boolean[] disagrees = new Boolean[n], providerInferred = new Boolean[n];
        Long[] audioIn = new Long[n], audioOut = new Long[n];
        String[] finish = new String[n], errorType = new String[n], user = new String[n], session = new String[n];
        String[] dialect = new String[n], sourceKeys = new String[n];
        Integer[] status = new Integer[n];
        Double[] ttft = new Double[n], tokensPerSecond = new Double[n];
        for (int i = 0; i < n; i++) {
            LlmCall c = calls.get(i).call();
            Cost k = calls.get(i).cost();
            traceId[i] = Ids.bytes(c.traceId());
            spanId[i] = Ids.bytes(c.spanId());
            start[i] = c.startTimeUnixNano();
            service[i] = JsonText.text(c.serviceName());
            provider[i] = JsonText.text(c.provider());
            operation[i] = JsonText.text(c.operation());
            requestModel[i] = JsonText.text(c.requestModel());
            responseModel[i] = JsonText.text(c.responseModel());
            model[i] = JsonText.text(c.model());
            input[i] = c.inputTokens();
            output[i] = c.outputTokens();
            total[i] = c.totalTokens();
            cacheRead[i] = c.cacheReadTokens();
            cacheWrite[i] = c.cacheWriteTokens();
            reasoning[i] = c.reasoningTokens();
            inputCost[i] = plain(k.input());
            cacheReadCost[i] = plain(k.cacheRead());
            cacheWriteCost[i] = plain(k.cacheWrite());
            outputCost[i] = plain(k.output());
            reasoningCost[i] = plain(k.reasoning());
            cost[i] = plain(k.total());
            priceSource[i] = JsonText.text(k.entry());
            costSource[i] = k.source().label();
            priceVersion[i] = JsonText.text(k.version());
            provided[i] = plain(k.provided());
            disagrees[i] = k.disagrees();
            finish[i] = JsonText.stringArray(c.finishReasons());
            status[i] = c.statusCode();
            errorType[i] = JsonText.text(c.errorType());
            duration[i] = c.durationNanos();
            ttft[i] = c.ttftMs();
            tokensPerSecond[i] = c.tokensPerSecond();
            user[i] = JsonText.text(c.userId());
            session[i] = JsonText.text(c.sessionId());
            dialect[i] = c.dialect();
            sourceKeys[i] = JsonText.stringArray(c.sourceKeys());
            providerInferred[i] = c.providerInferred();
            audioIn[i] = c.inputAudioTokens();
            audioOut[i] = c.outputAudioTokens();
        }
        return Tuple.wrap(new ArrayList<>(List.of(tenant, traceId, spanId, start, service, provider, operation,
                requestModel, responseModel, model, input, output, total, cacheRead, cacheWrite, reasoning, inputCost,
                cacheReadCost, cacheWriteCost, outputCost, reasoningCost, cost, priceSource, costSource, priceVersion,
                provided, disagrees, finish, status, errorType, duration, ttft, tokensPerSecond, user, session, dialect,
                sourceKeys, providerInferred, audioIn, audioOut)));
    }

    private static String plain(BigDecimal v) {
        return v == null ? null : v.toPlainString();
    }
}
