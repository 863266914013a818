package dev.mo.manifest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities: a decimal number with an optional suffix.
 * <ul>
 *   <li>binary: {@code Ki Mi Gi Ti Pi Ei} (powers of 1024), e.g. {@code 128Mi}</li>
 *   <li>decimal: {@code n u m k M G T P E}, e.g. {@code 500m} (0.5), {@code 1G}</li>
 *   <li>exponent: {@code 1e3}, {@code 5E-2}</li>
 * </ul>
 * Like Kubernetes, values are rounded up: {@code 0.1m} CPU is 1 milli, {@code 100m} bytes is 1 byte.
 */
public final class Quantity {
    private static final Pattern SYNTAX = Pattern.compile(
            "([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\\d+)?");

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)),
            Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)),
            Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)),
            Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    /** Shown to users when a quantity does not parse. */
    public static final String EXPECTED = "must be a quantity like 500m, 0.5, 128Mi or 1G";

    private Quantity() {}

    /** True when Kubernetes would accept this text as a quantity. */
    public static boolean isValid(String text) {
        return text != null && SYNTAX.matcher(text.trim()).matches();
    }

    /** The exact value, e.g. {@code 1.5} for {@code "1500m"}. Throws IllegalArgumentException when invalid. */
    public static BigDecimal parse(String text) {
        if (text == null) throw new IllegalArgumentException("quantity is missing");
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("invalid quantity \"" + text + "\": " + EXPECTED);
        BigDecimal number = new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        // "E" alone is exa (10^18); "E" or "e" followed by digits is an exponent.
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
        }
        return number.multiply(SUFFIXES.get(suffix));
    }

    /** CPU in millicores: {@code "500m"} is 500, {@code "2"} is 2000, {@code "0.5"} is 500. */
    public static long parseMillis(String cpu) {
        return toLong(parse(cpu).movePointRight(3), cpu);
    }

    /** Memory or storage in bytes: {@code "128Mi"}, {@code "1Gi"}, {@code "1G"}, {@code "1e3"}, {@code "100k"}. */
    public static long parseBytes(String memory) {
        return toLong(parse(memory), memory);
    }

    private static long toLong(BigDecimal value, String text) {
        try {
            return value.setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("quantity \"" + text + "\" is too large");
        }
    }
}
