package io.llmobservatory.pii;


import java.util.List;
import java.util.regex.Pattern;

/** IPv4 addresses (each octet 0-255) and IPv6 addresses (full, compressed with {@code ::}, or IPv4-mapped). */
public class IpAddressDetector implements PiiDetector {
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    @Override
    public String name() {
        return "ip_address";
    }

    /**
     * Scans by hand for runs of address characters (a regex that may start anywhere costs too much on long prose and
     * JSON full of colons), then validates each run.
     */
    @Override
    public void find(String text, List<Finding> out) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (!isAddressChar(c)) {
                i++;
                continue;
            }
            int start = i;
            int colons = 0;
            int dots = 0;
            while (i < n && isAddressChar(text.charAt(i))) {
                char d = text.charAt(i);
                if (d == ':') {
                    colons++;
                } else if (d == '.') {
                    dots++;
                }
                i++;
            }
            checkRun(text, start, i, colons, dots, out);
        }
    }

    /**
     * The addresses in one maximal run [start, runEnd) of address characters holding {@code colons} colons and
     * {@code dots} dots; nothing unless {@code colons == 0 && dots >= 3 || colons >= 2 || colons == 1 && dots == 3}.
     */
    static void checkRun(String text, int start, int runEnd, int colons, int dots, List<Finding> out) {
        int n = text.length();
        int i = runEnd;
        if (start > 0 && Character.isLetterOrDigit(text.charAt(start - 1))) {
            return; // part of a longer word, e.g. "abc123"
        }
        if (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            return;
        }
        int end = i;
        // a sentence may end right after an address; a port may follow an IPv4 address
        while (end > start && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == ':')) {
            end--;
        }
        if (colons == 0 && dots >= 3) {
            if (IPV4.matcher(text.substring(start, end)).matches()) {
                out.add(new Finding(start, end, "IP_ADDRESS"));
            }
        } else if (colons >= 2) {
            String run = text.substring(start, end);
            if (isIpv6(run)) {
                out.add(new Finding(start, end, "IP_ADDRESS"));
            } else if (dots == 3) {
                // host:port style runs such as 8.8.8.8:53
                int colon = run.indexOf(':');
                if (colon > 0 && IPV4.matcher(run.substring(0, colon)).matches()) {
                    out.add(new Finding(start, start + colon, "IP_ADDRESS"));
                }
            }
        } else if (colons == 1 && dots == 3) {
            String run = text.substring(start, end);
            int colon = run.indexOf(':');
            if (colon < 0) {
                colon = run.length(); // the one colon ended the run ("10.0.0.1: connection refused") and was trimmed
            }
            if (IPV4.matcher(run.substring(0, colon)).matches()) {
                out.add(new Finding(start, start + colon, "IP_ADDRESS"));
            }
        }
    }

    private static boolean isAddressChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }

    static boolean isIpv6(String s) {
        String text = s;
        int groupsFromV4 = 0;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.') >= 0) {
            String v4 = text.substring(lastColon + 1);
            if (!IPV4.matcher(v4).matches()) {
                return false;
            }
            text = text.substring(0, lastColon + 1) + "0:0";
            groupsFromV4 = 0;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] parts = doubleColon >= 0
                ? (text.substring(0, doubleColon) + ":" + text.substring(doubleColon + 2)).split(":", -1)
                : text.split(":", -1);
        int groups = 0;
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.length() > 4) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                if (Character.digit(part.charAt(i), 16) < 0) {
                    return false;
                }
            }
            groups++;
        }
        groups += groupsFromV4;
        if (doubleColon >= 0) {
            return groups <= 7 && (text.length() > 2 || text.equals("::"));
        }
        // Without "::" all eight groups must be present and non-empty.
        return groups == 8 && parts.length == 8;
    }
}
