package io.llmobservatory.pii;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The built-in detectors' findings from one pass over the text. The pass classifies each character once and notes the
 * regions where a detector could find something: runs of {@code [0-9 .()+-]} with enough digits (phone, card, SSN),
 * {@code [A-Z0-9 ]} runs from a country code and check digits on (IBAN), the run around an {@code @} (e-mail), runs
 * of address characters holding dots or colons (IP), and word runs holding a secret's prefix ({@code sk-},
 * {@code AKIA}, {@code eyJ}, ...). Then each detector's own pattern and checks run on its regions only, the matcher's
 * bounds transparent so look-arounds see the whole text. A region is a maximal run of characters the pattern consumes,
 * so every match of the whole-text search lies in exactly one region and is found there alike; the findings are those
 * of {@link SequentialScanner}, in the same order. A text without a candidate allocates nothing. Detectors other than
 * the built-in classes (enrich's own, operators' patterns, subclasses) run over the whole text as they are.
 */
final class SinglePassScanner implements PiiScanner {
    private static final int OTHER = 0;
    private static final int EMAIL = 1;
    private static final int PHONE = 2;
    private static final int CARD = 3;
    private static final int SSN = 4;
    private static final int IBAN = 5;
    private static final int IP = 6;
    private static final int SECRET = 7;

    // Character classes; every built-in pattern consumes ASCII only, so anything else is in none.
    private static final int DIGIT = 1;
    private static final int UPPER = 1 << 1;
    /** What the phone, card and SSN patterns consume: {@code [0-9 .()+-]}. */
    private static final int NUMBER = 1 << 2;
    /** What the IBAN pattern consumes: {@code [A-Z0-9 ]}. */
    private static final int IBAN_CHAR = 1 << 3;
    /** What the e-mail pattern consumes: {@code [A-Za-z0-9._%+@-]}. */
    private static final int EMAIL_CHAR = 1 << 4;
    /** IP address characters as {@link IpAddressDetector} scans them: {@code [0-9a-fA-F:.]}. */
    private static final int ADDRESS = 1 << 5;
    /** What the in-word secret patterns consume: {@code [A-Za-z0-9_.-]}. */
    private static final int WORD = 1 << 6;
    private static final int AT = 1 << 7;
    /** ':' and '.', without which a run of address characters holds no address. */
    private static final int SEPARATOR = 1 << 8;
    /** The first character of a secret rule's hint. */
    private static final int HINT = 1 << 9;
    private static final int[] CLASS = new int[128];

    /** Fewest digits a phone number has (the card and SSN need more). */
    private static final int PHONE_DIGITS = 7;
    private static final int SSN_DIGITS = 9;
    private static final int CARD_DIGITS = 13;
    /** Shortest IBAN, spaces aside. */
    private static final int IBAN_LENGTH = 15;
    /** SecretDetector looks at nothing shorter. */
    private static final int SECRET_TEXT_LENGTH = 16;

    private static final List<SecretDetector.Rule> RULES = SecretDetector.RULES;
    /** Rules looked for only in word runs holding their hint; the others over the whole text when it holds one. */
    private static final int IN_WORD_RULES;
    /** Secret hints by their first character, and the rule (bit index into RULES) of each. */
    private static final String[][] HINTS = new String[128][];
    private static final int[][] HINT_RULES = new int[128][];

    static {
        for (char c = 0; c < 128; c++) {
            boolean digit = c >= '0' && c <= '9';
            boolean upper = c >= 'A' && c <= 'Z';
            boolean lower = c >= 'a' && c <= 'z';
            int m = 0;
            m |= digit ? DIGIT : 0;
            m |= upper ? UPPER : 0;
            m |= digit || (c != 0 && " .()+-".indexOf(c) >= 0) ? NUMBER : 0;
            m |= digit || upper || c == ' ' ? IBAN_CHAR : 0;
            m |= digit || upper || lower || (c != 0 && "._%+@-".indexOf(c) >= 0) ? EMAIL_CHAR : 0;
            m |= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.' ? ADDRESS : 0;
            m |= digit || upper || lower || c == '_' || c == '.' || c == '-' ? WORD : 0;
            m |= c == '@' ? AT : 0;
            m |= c == ':' || c == '.' ? SEPARATOR : 0;
            CLASS[c] = m;
        }
        if (RULES.size() > 31) {
            throw new IllegalStateException("more secret rules than bits");
        }
        int inWord = 0;
        for (int r = 0; r < RULES.size(); r++) {
            SecretDetector.Rule rule = RULES.get(r);
            if (rule.inWord()) {
                inWord |= 1 << r;
            }
            for (String hint : rule.hints()) {
                char first = hint.charAt(0);
                if (first >= 128 || (rule.inWord() && !allIn(hint, WORD))) {
                    throw new IllegalStateException("secret hint outside its class: " + hint);
                }
                CLASS[first] |= HINT;
                HINTS[first] = append(HINTS[first], hint);
                HINT_RULES[first] = append(HINT_RULES[first], r);
            }
        }
        IN_WORD_RULES = inWord;
    }

    private final PiiDetector[] detectors;
    private final int[] kinds;
    private final boolean others;
    private final boolean numbers;
    private final boolean ibans;
    private final boolean secrets;
    /** The classes that make the pass do more than move on. */
    private final int triggers;

    SinglePassScanner(List<PiiDetector> detectors) {
        this.detectors = List.copyOf(detectors).toArray(new PiiDetector[0]);
        this.kinds = new int[this.detectors.length];
        boolean others = false;
        boolean numbers = false;
        boolean ibans = false;
        boolean secrets = false;
        int triggers = 0;
        for (int k = 0; k < kinds.length; k++) {
            kinds[k] = kind(this.detectors[k]);
            switch (kinds[k]) {
                case OTHER -> others = true;
                case EMAIL -> triggers |= AT;
                case PHONE, CARD, SSN -> {
                    numbers = true;
                    triggers |= DIGIT;
                }
                case IBAN -> {
                    ibans = true;
                    triggers |= DIGIT;
                }
                case IP -> triggers |= SEPARATOR;
                case SECRET -> {
                    secrets = true;
                    triggers |= HINT;
                }
                default -> throw new IllegalStateException();
            }
        }
        this.others = others;
        this.numbers = numbers;
        this.ibans = ibans;
        this.secrets = secrets;
        this.triggers = triggers;
    }

    /** The built-in classes exactly: a subclass may find other things, so it runs as it is. */
    private static int kind(PiiDetector d) {
        Class<?> c = d.getClass();
        if (c == EmailDetector.class) {
            return EMAIL;
        } else if (c == PhoneNumberDetector.class) {
            return PHONE;
        } else if (c == CreditCardDetector.class) {
            return CARD;
        } else if (c == UsSsnDetector.class) {
            return SSN;
        } else if (c == IbanDetector.class) {
            return IBAN;
        } else if (c == IpAddressDetector.class) {
            return IP;
        } else if (c == SecretDetector.class) {
            return SECRET;
        }
        return OTHER;
    }

    @Override
    public List<Finding> find(String text) {
        return scan(text, false);
    }

    @Override
    public boolean anyIn(String text) {
        return !scan(text, true).isEmpty();
    }

    private List<Finding> scan(String text, boolean firstOnly) {
        Candidates found = candidates(text);
        if (found == null && !others) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>(found == null ? 0 : 4);
        for (int k = 0; k < detectors.length; k++) {
            int kind = kinds[k];
            if (kind == OTHER) {
                detectors[k].find(text, out);
            } else if (found != null) {
                switch (kind) {
                    case EMAIL -> regex((RegexDetector) detectors[k], text, found.emails, found.emailInts, 2, 0, out);
                    case PHONE -> regex((RegexDetector) detectors[k], text, found.numbers, found.numberInts, 3,
                            PHONE_DIGITS, out);
                    case CARD -> regex((RegexDetector) detectors[k], text, found.numbers, found.numberInts, 3,
                            CARD_DIGITS, out);
                    case SSN -> regex((RegexDetector) detectors[k], text, found.numbers, found.numberInts, 3,
                            SSN_DIGITS, out);
                    case IBAN -> regex((RegexDetector) detectors[k], text, found.ibans, found.ibanInts, 2, 0, out);
                    case IP -> {
                        int[] a = found.addresses;
                        for (int r = 0; r < found.addressInts; r += 4) {
                            IpAddressDetector.checkRun(text, a[r], a[r + 1], a[r + 2], a[r + 3], out);
                        }
                    }
                    case SECRET -> secrets(text, found, out);
                    default -> throw new IllegalStateException();
                }
            }
            if (firstOnly && !out.isEmpty()) {
                break;
            }
        }
        return out.isEmpty() ? List.of() : out;
    }

    /** The pass: every detector's candidate regions, or null when there is none. */
    private Candidates candidates(String text) {
        int n = text.length();
        int triggers = this.triggers & (n >= SECRET_TEXT_LENGTH ? -1 : ~HINT);
        Candidates found = null;
        int open = 0; // the classes whose run is being followed
        int numberStart = 0;
        int numberDigits = 0;
        int ibanStart = 0;
        int emailStart = 0;
        int addressStart = 0;
        int colons = 0;
        int dots = 0;
        int wordStart = 0;
        int wordRules = 0;
        int wholeTextRules = 0;
        for (int i = 0; i <= n; i++) {
            char c = 0;
            int m = 0; // past the end: in no class, which ends every run
            if (i < n) {
                c = text.charAt(i);
                m = c < 128 ? CLASS[c] : 0;
            }
            int ending = open & ~m;
            if (ending != 0) {
                open &= m;
                if ((ending & NUMBER) != 0 && numberDigits >= PHONE_DIGITS) {
                    found = Candidates.of(found).number(numberStart, i, numberDigits);
                }
                if ((ending & IBAN_CHAR) != 0 && i - ibanStart >= IBAN_LENGTH) {
                    found = Candidates.of(found).iban(ibanStart, i);
                }
                if ((ending & EMAIL_CHAR) != 0) {
                    found = Candidates.of(found).email(emailStart, i);
                }
                if ((ending & ADDRESS) != 0 && (colons >= 2 || (colons == 0 && dots >= 3) || (colons == 1 && dots == 3))) {
                    found = Candidates.of(found).address(addressStart, i, colons, dots);
                }
                if ((ending & WORD) != 0) {
                    found = Candidates.of(found).word(wordStart, i, wordRules);
                }
            }
            if ((m & triggers) == 0) {
                continue;
            }
            if ((m & DIGIT) != 0) {
                if (numbers && (open & NUMBER) == 0) {
                    // a phone number may start with the '+' or '(' right before its first digit
                    numberStart = i > 0 && in(text.charAt(i - 1), NUMBER) ? i - 1 : i;
                    numberDigits = 0;
                    open |= NUMBER;
                }
                numberDigits++;
                if (ibans && (open & IBAN_CHAR) == 0 && i >= 3 && in(text.charAt(i - 1), DIGIT)
                        && in(text.charAt(i - 2), UPPER) && in(text.charAt(i - 3), UPPER)) {
                    ibanStart = i - 3; // an IBAN starts with its country code and check digits
                    open |= IBAN_CHAR;
                }
            }
            if ((m & AT) != 0 && (open & EMAIL_CHAR) == 0) {
                emailStart = runStart(text, i, EMAIL_CHAR);
                open |= EMAIL_CHAR;
            }
            if ((m & SEPARATOR) != 0) {
                if ((open & ADDRESS) == 0) {
                    // no ':' or '.' since the run began, or it would be open already
                    addressStart = runStart(text, i, ADDRESS);
                    colons = 0;
                    dots = 0;
                    open |= ADDRESS;
                }
                if (c == ':') {
                    colons++;
                } else {
                    dots++;
                }
            }
            if ((m & HINT) != 0) {
                int rules = hintsAt(text, i, c);
                wholeTextRules |= rules & ~IN_WORD_RULES;
                if ((rules & IN_WORD_RULES) != 0) {
                    if ((open & WORD) == 0) {
                        wordStart = runStart(text, i, WORD);
                        wordRules = 0;
                        open |= WORD;
                    }
                    wordRules |= rules & IN_WORD_RULES;
                }
            }
        }
        if (wholeTextRules != 0) {
            found = Candidates.of(found);
            found.wholeTextRules = wholeTextRules;
        }
        return found;
    }

    /** Each rule in SecretDetector's order: in-word rules on the word runs holding their hint, others as it runs them. */
    private static void secrets(String text, Candidates found, List<Finding> out) {
        for (int r = 0; r < RULES.size(); r++) {
            SecretDetector.Rule rule = RULES.get(r);
            int bit = 1 << r;
            Matcher m = null;
            if ((IN_WORD_RULES & bit) != 0) {
                int[] w = found.words;
                for (int k = 0; k < found.wordInts; k += 3) {
                    if ((w[k + 2] & bit) == 0) {
                        continue;
                    }
                    m = m != null ? m : regionMatcher(rule.pattern().matcher(text));
                    m.region(w[k], w[k + 1]);
                    while (m.find()) {
                        out.add(new Finding(m.start(rule.group()), m.end(rule.group()), rule.type()));
                    }
                }
            } else if ((found.wholeTextRules & bit) != 0) {
                m = rule.pattern().matcher(text);
                while (m.find()) {
                    out.add(new Finding(m.start(rule.group()), m.end(rule.group()), rule.type()));
                }
            }
        }
    }

    /**
     * The detector's pattern on the regions (with at least {@code minDigits} digits when the stride is 3), after its
     * own pre-check on the whole text, as {@link RegexDetector#find} does.
     */
    private static void regex(RegexDetector d, String text, int[] regions, int ints, int stride, int minDigits,
                              List<Finding> out) {
        Matcher m = null;
        for (int r = 0; r < ints; r += stride) {
            if (stride == 3 && regions[r + 2] < minDigits) {
                continue;
            }
            if (m == null) {
                if (!d.mayContain(text)) {
                    return;
                }
                m = regionMatcher(d.pattern().matcher(text));
            }
            m.region(regions[r], regions[r + 1]);
            while (m.find()) {
                if (d.valid(m.group())) {
                    out.add(new Finding(m.start(), m.end(), d.type()));
                }
            }
        }
    }

    /** Look-arounds and \b see past the region; ^ and $ do not match at its bounds: as over the whole text. */
    private static Matcher regionMatcher(Matcher m) {
        return m.useTransparentBounds(true).useAnchoringBounds(false);
    }

    /** Bits of the rules one of whose hints starts at {@code i}. */
    private static int hintsAt(String text, int i, char c) {
        String[] hints = HINTS[c];
        int[] rules = HINT_RULES[c];
        int found = 0;
        for (int h = 0; h < hints.length; h++) {
            if (text.startsWith(hints[h], i)) {
                found |= 1 << rules[h];
            }
        }
        return found;
    }

    /** Where the run of {@code cls} characters that holds position {@code i} starts. */
    private static int runStart(String text, int i, int cls) {
        int s = i;
        while (s > 0 && in(text.charAt(s - 1), cls)) {
            s--;
        }
        return s;
    }

    private static boolean in(char c, int cls) {
        return c < 128 && (CLASS[c] & cls) != 0;
    }

    private static boolean allIn(String s, int cls) {
        for (int i = 0; i < s.length(); i++) {
            if (!in(s.charAt(i), cls)) {
                return false;
            }
        }
        return true;
    }

    private static String[] append(String[] a, String v) {
        String[] out = a == null ? new String[1] : Arrays.copyOf(a, a.length + 1);
        out[out.length - 1] = v;
        return out;
    }

    private static int[] append(int[] a, int v) {
        int[] out = a == null ? new int[1] : Arrays.copyOf(a, a.length + 1);
        out[out.length - 1] = v;
        return out;
    }

    /** Candidate regions found by the pass, as flat int arrays: start, end, then per-kind figures. */
    private static final class Candidates {
        private static final int[] NONE = new int[0];
        int[] numbers = NONE; // start, end, digits
        int numberInts;
        int[] ibans = NONE; // start, end
        int ibanInts;
        int[] emails = NONE; // start, end
        int emailInts;
        int[] addresses = NONE; // start, end, colons, dots
        int addressInts;
        int[] words = NONE; // start, end, rule bits
        int wordInts;
        int wholeTextRules;

        static Candidates of(Candidates c) {
            return c != null ? c : new Candidates();
        }

        Candidates number(int start, int end, int digits) {
            numbers = room(numbers, numberInts + 3);
            numbers[numberInts++] = start;
            numbers[numberInts++] = end;
            numbers[numberInts++] = digits;
            return this;
        }

        Candidates iban(int start, int end) {
            ibans = room(ibans, ibanInts + 2);
            ibans[ibanInts++] = start;
            ibans[ibanInts++] = end;
            return this;
        }

        Candidates email(int start, int end) {
            emails = room(emails, emailInts + 2);
            emails[emailInts++] = start;
            emails[emailInts++] = end;
            return this;
        }

        Candidates address(int start, int end, int colons, int dots) {
            addresses = room(addresses, addressInts + 4);
            addresses[addressInts++] = start;
            addresses[addressInts++] = end;
            addresses[addressInts++] = colons;
            addresses[addressInts++] = dots;
            return this;
        }

        Candidates word(int start, int end, int rules) {
            words = room(words, wordInts + 3);
            words[wordInts++] = start;
            words[wordInts++] = end;
            words[wordInts++] = rules;
            return this;
        }

        private static int[] room(int[] a, int needed) {
            return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, a.length * 2 + 8));
        }
    }
}
