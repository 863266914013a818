package dev.mo.cli;

import dev.mo.cli.output.ResourcePrinter;
import dev.mo.model.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what kubectl accepts after a verb: {@code pods}, {@code pods,services},
 * {@code pod web-1 web-2}, {@code deploy/web pod/x}, or {@code all}.
 */
public final class ResourceArgs {
    /** One kind, and a name or (null) every object of it. */
    public record Target(Kind kind, String name) {}

    private ResourceArgs() {}

    public static List<Target> parse(List<String> args) {
        if (args.isEmpty()) {
            throw new CliError("you must specify the type of resource to get. Use \"mo api-resources\" is not available;"
                    + " known types: " + knownTypes());
        }
        List<Target> out = new ArrayList<>();
        if (args.get(0).contains("/")) {
            for (String a : args) {
                int slash = a.indexOf('/');
                if (slash < 0) throw new CliError("there is no need to specify a resource type as a separate argument"
                        + " when passing arguments in resource/name form (e.g. 'mo get resource/<resource_name>'"
                        + " instead of 'mo get resource resource/<resource_name>'");
                out.add(new Target(kind(a.substring(0, slash)), a.substring(slash + 1)));
            }
            return out;
        }
        List<Kind> kinds = new ArrayList<>();
        for (String k : args.get(0).split(",")) {
            if (k.equals("all")) kinds.addAll(ResourcePrinter.ALL_KINDS);
            else kinds.add(kind(k));
        }
        if (args.size() == 1) {
            kinds.forEach(k -> out.add(new Target(k, null)));
        } else {
            for (Kind k : kinds) for (String name : args.subList(1, args.size())) out.add(new Target(k, name));
        }
        return out;
    }

    public static Kind kind(String name) {
        return Kind.byCliName(name).orElseThrow(() ->
                new CliError("the server doesn't have a resource type \"" + name + "\" (known: " + knownTypes() + ")"));
    }

    private static String knownTypes() {
        List<String> names = new ArrayList<>();
        for (Kind k : Kind.values()) names.add(k.plural());
        return String.join(", ", names);
    }
}
