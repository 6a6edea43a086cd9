package io.llmobservatory.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A small generative fuzzer for parsers and decoders: inputs are seeds (valid inputs) mutated by insertions,
 * deletions, replacements, duplications, splices of two seeds, truncations and random fragments drawn from an
 * alphabet of the grammar's own tokens, plus fully random inputs. Deterministic for a seed, so a failure is
 * reproducible; every input that breaks the contract is collected with the exception it raised.
 */
public final class Fuzz {
    private final Random random;
    private final List<String> seeds;
    private final List<String> alphabet;

    public Fuzz(long seed, List<String> seeds, List<String> alphabet) {
        this.random = new Random(seed);
        this.seeds = List.copyOf(seeds);
        this.alphabet = List.copyOf(alphabet);
    }

    /** The next input: mostly a mutated seed, sometimes a random string. */
    public String next() {
        if (random.nextInt(20) == 0) {
            return randomString(random.nextInt(60));
        }
        StringBuilder s = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(7)) {
                case 0 -> s.insert(at, token());
                case 1 -> {
                    if (s.length() > 0) {
                        int end = Math.min(s.length(), at + 1 + random.nextInt(6));
                        s.delete(Math.min(at, s.length() - 1), end);
                    }
                }
                case 2 -> {
                    if (at < s.length()) {
                        s.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                }
                case 3 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(12))));
                case 4 -> {
                    String other = seeds.get(random.nextInt(seeds.size()));
                    s.setLength(at);
                    s.append(other.substring(random.nextInt(other.length() + 1)));
                }
                case 5 -> s.setLength(Math.min(s.length(), at));
                default -> s.insert(at, (char) random.nextInt(0x3000));
            }
        }
        return s.toString();
    }

    /** Random bytes mutated from a seed (for binary decoders). */
    public byte[] nextBytes(List<byte[]> binarySeeds) {
        if (random.nextInt(10) == 0) {
            byte[] b = new byte[random.nextInt(200)];
            random.nextBytes(b);
            return b;
        }
        byte[] seed = binarySeeds.get(random.nextInt(binarySeeds.size())).clone();
        int mutations = 1 + random.nextInt(6);
        for (int i = 0; i < mutations && seed.length > 0; i++) {
            int at = random.nextInt(seed.length);
            switch (random.nextInt(3)) {
                case 0 -> seed[at] = (byte) random.nextInt(256);
                case 1 -> seed[at] ^= (byte) (1 << random.nextInt(8));
                default -> seed = java.util.Arrays.copyOf(seed, at);
            }
        }
        return seed;
    }

    private String token() {
        return alphabet.get(random.nextInt(alphabet.size()));
    }

    private String randomString(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(random.nextBoolean() ? token() : String.valueOf((char) (32 + random.nextInt(95))));
        }
        return s.toString();
    }

    /**
     * Runs {@code cases} inputs through {@code target}; an exception {@code allowed} accepts is the contract's clean
     * refusal, anything else (another exception, an error) is a finding. Returns the findings, at most 20.
     */
    public static <T> List<String> run(int cases, java.util.function.Supplier<T> inputs, Consumer<T> target,
                                       Predicate<Throwable> allowed) {
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < cases && findings.size() < 20; i++) {
            T input = inputs.get();
            try {
                target.accept(input);
            } catch (Throwable t) {
                if (!allowed.test(t)) {
                    String shown = input instanceof byte[] b ? java.util.HexFormat.of().formatHex(b)
                            : String.valueOf(input);
                    shown = shown.replace("\n", "\\n");
                    findings.add(t + " for input " + (shown.length() > 400 ? shown.substring(0, 400) + "…" : shown));
                }
            }
        }
        return findings;
    }

    /** UTF-8 bytes of a string (for JSON decoders). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
