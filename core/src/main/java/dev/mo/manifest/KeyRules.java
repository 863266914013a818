package dev.mo.manifest;

/**
 * The naming rules the manifest checks apply to labels, annotations and config data, for
 * callers outside this package (the CLI checks what a user typed before it sends anything).
 */
public final class KeyRules {
    /** Label values have at most this many characters. */
    public static final int LABEL_VALUE_MAX_LENGTH = 63;

    private KeyRules() {}

    /** A label value of any length whose characters are allowed (the length is checked on its own). */
    public static boolean hasLabelValueCharacters(String value) { return Names.labelValueCharacters(value); }

    /** A key of a ConfigMap's or Secret's data. */
    public static boolean isConfigKey(String key) { return Names.configKey(key) == null; }

    /** An environment variable name, as keys read from an env file must be. */
    public static boolean isEnvVarName(String key) { return Names.envVarName(key) == null; }
}
