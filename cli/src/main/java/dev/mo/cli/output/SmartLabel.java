package dev.mo.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** kubectl's {@code smartLabelFor}: {@code podIP} becomes {@code Pod IP}, {@code apiVersion} {@code API Version}. */
final class SmartLabel {
    private static final Set<String> ACRONYMS = Set.of("API", "URL", "UID", "OSB", "GUID");

    private SmartLabel() {}

    static String of(String field) {
        for (char c : field.toCharArray()) {
            if (!Character.isLetter(c) && c != '-') return field;
        }
        List<String> words = new ArrayList<>();
        for (String part : camelCaseSplit(field)) {
            if (part.equals("_")) continue;
            if (ACRONYMS.contains(part.toUpperCase())) words.add(part.toUpperCase());
            else words.add(Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return String.join(" ", words);
    }

    /** fatih/camelcase {@code Split}: runs of lower, upper or other characters; {@code PDFLoader} is {@code PDF}, {@code Loader}. */
    static List<String> camelCaseSplit(String s) {
        List<StringBuilder> runs = new ArrayList<>();
        int lastClass = 0;
        for (char c : s.toCharArray()) {
            int cls = Character.isLowerCase(c) ? 1 : Character.isUpperCase(c) ? 2 : Character.isDigit(c) ? 3 : 4;
            if (cls == lastClass) runs.get(runs.size() - 1).append(c);
            else runs.add(new StringBuilder().append(c));
            lastClass = cls;
        }
        for (int i = 0; i < runs.size() - 1; i++) {
            StringBuilder cur = runs.get(i);
            StringBuilder next = runs.get(i + 1);
            if (Character.isUpperCase(cur.charAt(0)) && Character.isLowerCase(next.charAt(0))) {
                next.insert(0, cur.charAt(cur.length() - 1));
                cur.setLength(cur.length() - 1);
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder run : runs) if (run.length() > 0) out.add(run.toString());
        return out;
    }
}
