package io.llmobservatory.enrich.pii;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IPv4 addresses (each octet 0-255) and IPv6 addresses (full, compressed with {@code ::}, or IPv4-mapped). */
@ApplicationScoped
public class IpAddressDetector implements PiiDetector {
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d.]*\\d)");
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "(?<![\\w:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![\\w:])");

    @Override
    public String name() {
        return "ip_address";
    }

    @Override
    public void find(String text, List<Finding> out) {
        List<Finding> v6 = new java.util.ArrayList<>(0);
        if (text.indexOf(':') >= 0) {
            Matcher m = IPV6_CANDIDATE.matcher(text);
            while (m.find()) {
                if (isIpv6(m.group())) {
                    v6.add(new Finding(m.start(), m.end(), "IP_ADDRESS"));
                }
            }
            out.addAll(v6);
        }
        if (text.indexOf('.') >= 0) {
            Matcher m = IPV4.matcher(text);
            while (m.find()) {
                int start = m.start();
                // the IPv4 tail of an IPv4-mapped IPv6 address is part of that finding
                if (v6.stream().noneMatch(f -> f.start() <= start && start < f.end())) {
                    out.add(new Finding(start, m.end(), "IP_ADDRESS"));
                }
            }
        }
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
