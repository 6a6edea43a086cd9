package io.llmobservatory.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A query corpus file (traceql/queries.txt, logql/queries.txt): queries one per line under a {@code [section]},
 * {@code #} comments; outside {@code [valid]} each line is {@code query => text the error message must contain}.
 */
public final class QueryCorpus {
    public record Entry(String section, String query, String expectedError) {
        public boolean valid() {
            return section.equals("[valid]");
        }
    }

    private QueryCorpus() {
    }

    public static List<Entry> read(String resource) {
        List<String> lines;
        try (InputStream in = QueryCorpus.class.getResourceAsStream(resource)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> out = new ArrayList<>();
        String section = "";
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[valid]")) {
                out.add(new Entry(section, line, null));
            } else {
                int arrow = line.lastIndexOf(" => ");
                out.add(new Entry(section, line.substring(0, arrow), line.substring(arrow + 4)));
            }
        }
        return out;
    }
}
