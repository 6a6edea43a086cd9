package io.llmobservatory.pii;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single pass finds exactly what the detectors find one after the other: the same findings in the same order,
 * for every text. Texts: enrich's PII corpus (read in place) alone, combined and in adversarial contexts, then
 * random texts from fixed seeds (soups of digits, separators, letters, non-ASCII digits, surrogates; generated valid
 * and near-valid PII glued together and mutated; long digit runs; JSON; lengths around the secret detector's
 * minimum). Each text is checked with all built-in detectors and with one other detector list in turn (each detector
 * alone, reversed order, a subset, a detector of the caller's own in between).
 */
class PiiScannerEquivalenceTest {
    private static final int TEXTS_PER_SEED = 20_000;
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)]");
    private static final AtomicLong CHECKED = new AtomicLong();
    private static final Map<String, AtomicLong> FOUND = new ConcurrentHashMap<>();

    /** A detector of the caller's own, which the single pass must run as it is, in its place. */
    private static final PiiDetector TICKET = new PiiDetector() {
        private final Pattern ticket = Pattern.compile("(?i)ticket[ -]?\\d{2,}");

        @Override
        public String name() {
            return "ticket";
        }

        @Override
        public void find(String text, List<Finding> out) {
            Matcher m = ticket.matcher(text);
            while (m.find()) {
                out.add(new Finding(m.start(), m.end(), "TICKET"));
            }
        }
    };

    private static final List<List<PiiDetector>> LISTS = lists();
    private static final List<Pair> PAIRS = LISTS.stream().map(Pair::new).toList();

    private record Pair(PiiScanner reference, PiiScanner fast, String label) {
        Pair(List<PiiDetector> detectors) {
            this(PiiScanner.sequential(detectors), PiiScanner.singlePass(detectors),
                    detectors.stream().map(PiiDetector::name).toList().toString());
        }
    }

    private static List<List<PiiDetector>> lists() {
        List<List<PiiDetector>> lists = new ArrayList<>();
        lists.add(BuiltInDetectors.all());
        for (PiiDetector d : BuiltInDetectors.all()) {
            lists.add(List.of(d));
        }
        List<PiiDetector> reversed = new ArrayList<>(BuiltInDetectors.all());
        Collections.reverse(reversed);
        lists.add(reversed);
        List<PiiDetector> withOwn = new ArrayList<>(BuiltInDetectors.all());
        withOwn.add(3, TICKET);
        lists.add(withOwn);
        lists.add(List.of(new PhoneNumberDetector(), new CreditCardDetector(), new UsSsnDetector()));
        lists.add(List.of(new SecretDetector(), new EmailDetector(), new IbanDetector()));
        // a subclass is not the built-in class: it runs as it is
        lists.add(List.of(new EmailDetector() {
            @Override
            public String name() {
                return "email_subclass";
            }
        }, new IpAddressDetector()));
        return lists;
    }

    static Path corpusDir() {
        Path root = Path.of(System.getProperty("observatory.project.root", "..")).toAbsolutePath().normalize();
        return root.resolve("services/enrich/src/test/resources/pii");
    }

    /** The corpus texts as the corpus tests use them (markers removed), and as written. */
    static List<String> corpus() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpusDir())) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String marked = line.substring(2);
                    texts.add(marked);
                    texts.add(marked.replace("[", "").replace("]", ""));
                    Matcher m = BRACKETED.matcher(marked);
                    while (m.find()) {
                        texts.add(m.group(1));
                    }
                }
            }
        }
        assertThat(texts).as("corpus in " + corpusDir()).hasSizeGreaterThan(100);
        return texts;
    }

    @Test
    void corpusAloneCombinedAndInContext() throws IOException {
        List<String> corpus = corpus();
        String[] contexts = {"", " ", "x", "9", "-", ".", ":", "@", "_", "+", "(", ")", "é", "١", "０", "\uD83D\uDE00",
                "\uD83D", "\uDC00", "\u00A0", "\n", "\"", "=", "/", "A", "AB", "-- "};
        int i = 0;
        for (String text : corpus) {
            check(text, i++);
            for (String before : contexts) {
                for (String after : contexts) {
                    check(before + text + after, i++);
                }
            }
        }
        for (String a : corpus) {
            for (String b : corpus) {
                check(a + " " + b, i++);
                check(a + b, i++);
            }
        }
    }

    @Test
    void adversarial() {
        String[] texts = {
            "", "@", "::", ":::", "...", "a@b@c.com", "x@y.zz@q.rr", "-12 123-45-6789", "12-x 123-45-6789 ok",
            "123-45-6789", "- 123-45-6789", "4111111111111111@example.com", "+4111111111111111",
            "alice@example.com4111111111111111", "GB82WEST12345698765432GB82WEST12345698765432",
            "DE89370400440532013000DE89370400440532013000", "DE89 3704 0044 0532 0130 00 DE89 3704 0044 0532 0130 00",
            "192.168.1.1.192.168.1.1", "::ffff:192.0.2.128:8080", "fe80::1%eth0", "abcd::ef", "dead:beef:cafe:babe:face:feed:fade:bead",
            "8.8.8.8:53:53", "1.2.3.4:", "1.2.3.4.", "(415) 555-0123(415) 555-0123", "+1 (415) 555-0123",
            "+((((1234567", "+1+2+3+4+5+6+7+8", "2024-01-15 12:30:45.123456789", "sk-sk-sk-abcdefghijklmnopqrstuvwxyz",
            "xsk-abcdefghijklmnopqrstuvwxyz0123", "sk_live_sk_live_abcdefghijklmnopqrst",
            "AKIAAKIAIOSFODNN7EXAMPLEAKIA", "eyJeyJeyJhbGciOi.eyJzdWIiOi.abcdefghijkl", "Bearer Bearer abcdefghijklmnopq",
            "BEARER abcdefghijklmnopqrstu", "BeArEr abcdefghijklmnopqrstu", "bearer\tabcdefghijklmnop.qrs",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB.ghp_abcdefghijklmnopqrstuvwxyz0123456789AB",
            "github_pat_" + "a".repeat(60), "xoxb-xoxb-1234567890", "AIzaSyA1234567890abcdefghijklmnopqrstuv-",
            "1".repeat(500), "1 ".repeat(300), "1-".repeat(300), "1.".repeat(300), "4".repeat(19) + "@" + "a.bc",
            "١٢٣-٤٥-٦٧٨٩ 123-45-6789", "０１２３４５６７８９０１２３ 4111111111111111", "\uD83D\uDE00+14155550123\uD83D\uDE00",
            "\uD83D4111111111111111\uDE00", "é123-45-6789é", "mailto:bob@example.org?cc=alice@example.com",
            "\"email\":\"a@b.de\",\"ip\":\"10.0.0.1\",\"card\":\"4111 1111 1111 1111\"",
        };
        for (int i = 0; i < texts.length; i++) {
            check(texts[i], i);
            for (int k = 0; k < PAIRS.size(); k++) {
                check(texts[i], k);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 20261207})
    void randomTexts(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < TEXTS_PER_SEED; i++) {
            String text = switch (i % 6) {
                case 0 -> soup(r, r.nextInt(120));
                case 1, 2 -> mutate(r, fragments(r));
                case 3 -> digitRun(r);
                case 4 -> json(r);
                default -> {
                    String s = fragments(r);
                    int len = 10 + r.nextInt(12);
                    yield s.length() > len ? s.substring(0, len) : s;
                }
            };
            check(text, i);
        }
    }

    @AfterAll
    static void generatorsFindEveryType() {
        // Not a check of the scanner: that the texts above do exercise every detector, or the test proves little.
        System.out.println("PiiScannerEquivalenceTest: " + CHECKED.get() + " texts x detector lists; findings "
                + new TreeMap<>(FOUND));
        for (String type : List.of("EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IP_ADDRESS", "API_KEY",
                "AWS_ACCESS_KEY", "JWT", "BEARER_TOKEN", "TICKET")) {
            assertThat(FOUND.getOrDefault(type, new AtomicLong()).get()).as(type + " findings").isGreaterThan(50);
        }
    }

    /** The text with all built-in detectors and with the {@code i}-th of the other lists. */
    private static void check(String text, int i) {
        check(PAIRS.get(0), text);
        check(PAIRS.get(1 + Math.floorMod(i, PAIRS.size() - 1)), text);
    }

    private static void check(Pair pair, String text) {
        Object expected = outcome(() -> pair.reference().find(text));
        assertThat(outcome(() -> pair.fast().find(text))).as("%s in %s", pair.label(), escape(text)).isEqualTo(expected);
        assertThat(outcome(() -> pair.fast().anyIn(text))).as("anyIn, %s in %s", pair.label(), escape(text))
                .isEqualTo(outcome(() -> pair.reference().anyIn(text)));
        CHECKED.incrementAndGet();
        if (expected instanceof List<?> findings) {
            for (Object f : findings) {
                FOUND.computeIfAbsent(((Finding) f).type(), t -> new AtomicLong()).incrementAndGet();
            }
        } else {
            FOUND.computeIfAbsent("thrown " + expected, t -> new AtomicLong()).incrementAndGet();
        }
    }

    /** What the call returns, or the exception it throws (class and message): a detector that throws must throw alike. */
    private static Object outcome(Supplier<Object> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 32 && c < 127) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.append('"').toString();
    }

    // ---- generators ----

    private static final String[] SOUP = {
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "4", "5", "9",
        " ", " ", ".", "-", "(", ")", "+", ":", "@", "_", "/", "%", "=", "~", ",", "\t", "\n",
        "A", "B", "E", "G", "K", "I", "Z", "a", "b", "c", "d", "e", "f", "k", "s", "x", "y", "J", "o",
        "é", "ß", "١", "٣", "０", "９", "\u00A0", "\u2028", "\u212A", "\u017F", "İ", "\uD83D\uDE00", "\uD83D", "\uDC00",
        "sk-", "AKIA", "eyJ", "earer", "EARER", "ghp_", "xox", "AIza", "_live_", "_test_", "github_pat_", "::", "..",
    };
    private static final String[] JOINERS = {"", " ", " ", "-", ".", ":", "@", "_", "\n", "é", "\uD83D\uDE00", "(", ")",
        "+", ",", "/", "=", "x", "9", "  "};
    private static final String[] WORDS = {"hello", "the", "card", "Bearer", "bearer", "token", "email", "IBAN", "SSN",
        "call", "me", "at", "version", "ticket", "Ticket-42", "id", "order", "2024-01-15", "12:30:45", "v1.2.3", "ab:cd",
        "fe80", "deadbeef", "Authorization:", "{", "}", "[", "]", "\"", "null", "true", "42", "3.14"};

    private static String soup(Random r, int length) {
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            out.append(SOUP[r.nextInt(SOUP.length)]);
        }
        return out.toString();
    }

    private static String fragments(Random r) {
        StringBuilder out = new StringBuilder();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(JOINERS[r.nextInt(JOINERS.length)]);
            }
            out.append(fragment(r));
        }
        return out.toString();
    }

    private static String fragment(Random r) {
        return switch (r.nextInt(16)) {
            case 0 -> email(r);
            case 1 -> phone(r);
            case 2 -> card(r);
            case 3 -> ssn(r);
            case 4 -> iban(r);
            case 5 -> ipv4(r);
            case 6 -> ipv6(r);
            case 7 -> secret(r);
            case 8 -> digits(r, 1 + r.nextInt(25));
            case 9 -> soup(r, r.nextInt(12));
            case 10 -> "ticket " + digits(r, 2 + r.nextInt(4));
            default -> WORDS[r.nextInt(WORDS.length)];
        };
    }

    private static String mutate(Random r, String s) {
        StringBuilder out = new StringBuilder(s);
        int edits = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = r.nextInt(out.length());
            switch (r.nextInt(3)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, SOUP[r.nextInt(SOUP.length)]);
                default -> out.setCharAt(at, SOUP[r.nextInt(SOUP.length)].charAt(0));
            }
        }
        return out.toString();
    }

    private static String digitRun(Random r) {
        StringBuilder out = new StringBuilder(r.nextBoolean() ? "" : WORDS[r.nextInt(WORDS.length)] + " ");
        int n = 7 + r.nextInt(r.nextInt(10) == 0 ? 300 : 40);
        String[] seps = {"", "", "", "", " ", "-", ".", "  ", "--", "/", ":", "(", ")", "+"};
        for (int i = 0; i < n; i++) {
            out.append((char) ('0' + r.nextInt(10)));
            if (r.nextInt(4) == 0) {
                out.append(seps[r.nextInt(seps.length)]);
            }
        }
        return out.toString();
    }

    private static String json(Random r) {
        return "[{\"role\":\"user\",\"content\":\"" + fragments(r).replace("\\", "").replace("\"", "'")
                + "\"},{\"role\":\"assistant\",\"content\":\"" + fragments(r).replace("\\", "").replace("\"", "'")
                + "\",\"n\":" + r.nextInt(100000) + "}]";
    }

    private static String digits(Random r, int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append((char) ('0' + r.nextInt(10)));
        }
        return out.toString();
    }

    private static String letters(Random r, int n, String alphabet) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static String email(Random r) {
        String local = letters(r, 1 + r.nextInt(10), ALNUM + "._%+-");
        return (r.nextBoolean() ? "a" : "") + local + "@" + letters(r, 1 + r.nextInt(8), ALNUM + "-") + "."
                + letters(r, 1 + r.nextInt(4), "abcdefghijklmnopqrstuvwxyz");
    }

    private static String phone(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "+" + digits(r, 1 + r.nextInt(3)) + " " + digits(r, 2 + r.nextInt(3)) + " " + digits(r, 3 + r.nextInt(2))
                    + " " + digits(r, 4);
            case 1 -> "(" + digits(r, 3) + ") " + digits(r, 3) + "-" + digits(r, 4);
            case 2 -> digits(r, 3) + "." + digits(r, 3) + "." + digits(r, 4);
            case 3 -> "+" + digits(r, 7 + r.nextInt(9));
            default -> "+" + digits(r, 2) + "-" + digits(r, 1) + "-" + digits(r, 4) + "-" + digits(r, 4);
        };
    }

    private static String card(Random r) {
        String[] prefixes = {"4", "51", "55", "2221", "34", "37", "6011", "65", "35", "62", "81", "9"};
        String body = prefixes[r.nextInt(prefixes.length)];
        int length = 13 + r.nextInt(7);
        body += digits(r, length - 1 - body.length());
        for (int check = 0; check < 10; check++) {
            if (CreditCardDetector.luhn(body + check)) {
                body += check;
                break;
            }
        }
        if (r.nextInt(4) == 0) {
            return body; // sometimes a near miss: left as it is
        }
        StringBuilder grouped = new StringBuilder();
        String sep = r.nextBoolean() ? " " : "-";
        for (int i = 0; i < body.length(); i++) {
            if (i > 0 && i % 4 == 0 && r.nextInt(3) > 0) {
                grouped.append(sep);
            }
            grouped.append(body.charAt(i));
        }
        return grouped.toString();
    }

    private static String ssn(Random r) {
        return (r.nextInt(6) == 0 ? "666" : digits(r, 3)) + "-" + digits(r, 2) + "-" + digits(r, 4);
    }

    private static String iban(Random r) {
        String country = letters(r, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        String bban = r.nextBoolean() ? digits(r, 11 + r.nextInt(19)) : letters(r, 11 + r.nextInt(19), "ABCDEFGHIJ0123456789");
        String numeric = toNumeric(bban + country + "00");
        int check = 98 - new BigInteger(numeric).mod(BigInteger.valueOf(97)).intValue();
        String iban = country + (check < 10 ? "0" : "") + check + bban;
        if (r.nextInt(5) == 0) {
            iban = iban.substring(0, iban.length() - 1) + r.nextInt(10);
        }
        if (!r.nextBoolean()) {
            return iban;
        }
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < iban.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                grouped.append(' ');
            }
            grouped.append(iban.charAt(i));
        }
        return grouped.toString();
    }

    private static String toNumeric(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return out.toString();
    }

    private static String ipv4(Random r) {
        return r.nextInt(300) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(260)
                + (r.nextInt(4) == 0 ? ":" + r.nextInt(65536) : "");
    }

    private static String ipv6(Random r) {
        int groups = 1 + r.nextInt(8);
        StringBuilder out = new StringBuilder();
        int gap = r.nextInt(groups + 1);
        for (int i = 0; i < groups; i++) {
            if (i == gap && r.nextBoolean()) {
                out.append("::");
            } else if (i > 0) {
                out.append(':');
            }
            out.append(letters(r, 1 + r.nextInt(4), "0123456789abcdefABCDEF"));
        }
        if (r.nextInt(5) == 0) {
            out.append(':').append(ipv4(r));
        }
        return out.toString();
    }

    private static String secret(Random r) {
        String tail = letters(r, 10 + r.nextInt(50), ALNUM + "_-");
        return switch (r.nextInt(9)) {
            case 0 -> "sk-" + (r.nextBoolean() ? "proj-" : "") + tail;
            case 1 -> (r.nextBoolean() ? "sk" : "pk") + (r.nextBoolean() ? "_live_" : "_test_") + letters(r, 10 + r.nextInt(20), ALNUM);
            case 2 -> "AKIA" + letters(r, 14 + r.nextInt(4), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            case 3 -> "ghp_" + letters(r, 30 + r.nextInt(12), ALNUM);
            case 4 -> "xoxb-" + tail;
            case 5 -> "AIza" + letters(r, 33 + r.nextInt(4), ALNUM + "_-");
            case 6 -> "eyJ" + letters(r, 4 + r.nextInt(8), ALNUM) + ".eyJ" + letters(r, 4 + r.nextInt(8), ALNUM) + "."
                    + letters(r, 8 + r.nextInt(12), ALNUM + "_-");
            case 7 -> (r.nextBoolean() ? "Bearer " : "BEARER\t") + letters(r, 12 + r.nextInt(10), ALNUM + "._~+/=-");
            default -> "github_pat_" + letters(r, 45 + r.nextInt(10), ALNUM + "_");
        };
    }
}
