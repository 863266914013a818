package dev.mo.manifest;

import java.util.regex.Pattern;

/**
 * Kubernetes' naming rules (k8s.io/apimachinery/pkg/util/validation). Each check returns null
 * when the value is fine, or the message to show, worded like Kubernetes' own.
 */
final class Names {
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private Names() {}

    static String dns1123Label(String value) {
        if (value.length() <= 63 && DNS1123_LABEL.matcher(value).matches()) return null;
        return quote(value) + " is not a valid DNS-1123 label: lowercase letters, digits and '-', "
                + "starting and ending with a letter or digit, at most 63 characters";
    }

    static String dns1123Subdomain(String value) {
        if (value.length() <= 253 && DNS1123_SUBDOMAIN.matcher(value).matches()) return null;
        return quote(value) + " is not a valid DNS-1123 subdomain: lowercase letters, digits, '-' and '.', "
                + "starting and ending with a letter or digit, at most 253 characters";
    }

    static String dns1035Label(String value) {
        if (value.length() <= 63 && DNS1035_LABEL.matcher(value).matches()) return null;
        return quote(value) + " is not a valid DNS-1035 label: lowercase letters, digits and '-', "
                + "starting with a letter and ending with a letter or digit, at most 63 characters";
    }

    /** Label and annotation keys: an optional DNS subdomain prefix and '/', then a name of up to 63 characters. */
    static String qualifiedName(String value) {
        int slash = value.lastIndexOf('/');
        String prefix = slash < 0 ? null : value.substring(0, slash);
        String name = slash < 0 ? value : value.substring(slash + 1);
        boolean ok = name.length() <= 63 && QUALIFIED_NAME_PART.matcher(name).matches()
                && (prefix == null || (!prefix.isEmpty() && dns1123Subdomain(prefix) == null));
        if (ok) return null;
        return quote(value) + " is not a valid key: an optional DNS subdomain prefix and '/', then at most 63 "
                + "letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    }

    static String labelValue(String value) {
        if (value.length() <= 63 && labelValueCharacters(value)) return null;
        return quote(value) + " is not a valid label value: at most 63 letters, digits, '-', '_' or '.', "
                + "starting and ending with a letter or digit (or empty)";
    }

    /** A label value's characters, whatever its length: empty, or alphanumerics with '-', '_' or '.' inside. */
    static boolean labelValueCharacters(String value) {
        return value.isEmpty() || QUALIFIED_NAME_PART.matcher(value).matches();
    }

    /** Port names (IANA service names): at most 15 characters, lowercase letters, digits and '-', one letter at least. */
    static String ianaServiceName(String value) {
        if (value.length() <= 15 && IANA_SVC_NAME.matcher(value).matches() && HAS_LETTER.matcher(value).matches()
                && !value.contains("--")) {
            return null;
        }
        return quote(value) + " is not a valid port name: at most 15 lowercase letters, digits and '-', "
                + "with at least one letter, starting and ending with a letter or digit";
    }

    static String envVarName(String value) {
        if (ENV_VAR_NAME.matcher(value).matches()) return null;
        return quote(value) + " is not a valid environment variable name: letters, digits, '_', '-' or '.', "
                + "not starting with a digit";
    }

    /** Keys of ConfigMap and Secret data. */
    static String configKey(String value) {
        if (value.length() <= 253 && CONFIG_KEY.matcher(value).matches() && !value.equals(".") && !value.startsWith("..")) {
            return null;
        }
        return quote(value) + " is not a valid key: letters, digits, '-', '_' or '.', at most 253 characters";
    }

    static String quote(String value) { return "\"" + value + "\""; }
}
