package dev.mo.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the manifests named after {@code -f}, like kubectl: files, directories and stdin; YAML or
 * JSON; several documents a file; {@code kind: List}. Every object is validated. Nothing throws for
 * bad input: a missing file, a syntax error or an invalid field all become problems in the result.
 */
public final class ManifestLoader {
    /** The name stdin gets in problems. */
    public static final String STDIN = "<stdin>";

    private ManifestLoader() {}

    /**
     * @param paths     as typed by the user: files, directories (every .yaml/.yml/.json inside, sorted by name),
     *                  or "-" for stdin
     * @param recursive descend into subdirectories, like kubectl's -R
     */
    public static LoadResult load(List<String> paths, boolean recursive, InputStream stdin) {
        Results all = new Results();
        for (String path : paths) {
            if (path.equals("-")) {
                all.add(readStdin(stdin));
                continue;
            }
            Path file = Path.of(path);
            if (Files.isDirectory(file)) {
                for (Path found : manifestsIn(file, recursive, all)) all.add(parseFile(found));
            } else if (Files.isRegularFile(file)) {
                all.add(parseFile(file)); // named explicitly: read whatever its extension
            } else {
                all.errors.add(new ManifestProblem(path, 0, null, "no such file or directory"));
            }
        }
        return all.toResult();
    }

    /** One file's text (multi-document YAML or JSON), named {@code source} in problems. */
    public static LoadResult parse(String source, String text) {
        Results out = new Results();
        for (RawDocument raw : read(source, text == null ? "" : text, out.errors)) {
            if (!(raw.root() instanceof ObjectNode object)) {
                out.errors.add(new ManifestProblem(source, raw.line(), null,
                        "expected a Kubernetes object (apiVersion, kind, metadata...), got " + SchemaCheck.describe(raw.root())));
            } else if ("List".equals(Nodes.text(object, "kind")) && object.has("items")) {
                listItems(source, object, raw.lines(), out);
            } else {
                add(source, object, raw.line(), raw.lines(), out);
            }
        }
        return out.toResult();
    }

    /** JSON when it looks like JSON (kubectl accepts both); YAML otherwise, or when JSON reading fails on a non-.json file. */
    private static List<RawDocument> read(String source, String text, List<ManifestProblem> errors) {
        if (text.strip().startsWith("{")) {
            List<ManifestProblem> jsonErrors = new ArrayList<>();
            List<RawDocument> documents = JsonReader.read(source, text, jsonErrors);
            boolean jsonFile = source != null && source.toLowerCase(Locale.ROOT).endsWith(".json");
            if (jsonErrors.isEmpty() || jsonFile) {
                errors.addAll(jsonErrors);
                return documents;
            }
        }
        return YamlReader.read(source, text, errors);
    }

    /** {@code kind: List} (what {@code kubectl get -o yaml} prints): each item is an object of its own. */
    private static void listItems(String source, ObjectNode list, FieldLines lines, Results out) {
        JsonNode items = list.get("items");
        if (!items.isArray()) {
            out.errors.add(new ManifestProblem(source, lines.lineOf("items"), "items", "must be a list"));
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = FieldLines.item("items", i);
            if (items.get(i) instanceof ObjectNode item) {
                add(source, item, lines.lineOf(path), lines.under(path), out);
            } else {
                out.errors.add(new ManifestProblem(source, lines.lineOf(path), path, "must be an object"));
            }
        }
    }

    private static void add(String source, ObjectNode object, int line, LineMap lines, Results out) {
        out.documents.add(new ManifestDocument(source, line, object));
        out.errors.addAll(Validator.validate(object, source, lines, out.warnings));
    }

    private static LoadResult parseFile(Path file) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            return failed(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    private static LoadResult readStdin(InputStream stdin) {
        if (stdin == null) return failed(STDIN, "no standard input");
        try {
            return parse(STDIN, new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return failed(STDIN, "cannot read: " + e.getMessage());
        }
    }

    /**
     * The manifest files of a directory in name order; with {@code recursive}, subdirectories are
     * visited where they fall in that order, as kubectl's directory walk does.
     */
    private static List<Path> manifestsIn(Path dir, boolean recursive, Results all) {
        List<Path> out = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> listing = Files.list(dir)) {
            entries = listing.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException | UncheckedIOException e) {
            all.errors.add(new ManifestProblem(dir.toString(), 0, null, "cannot read directory: " + e.getMessage()));
            return out;
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                if (recursive) out.addAll(manifestsIn(entry, true, all));
            } else if (isManifest(entry)) {
                out.add(entry);
            }
        }
        return out;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static LoadResult failed(String source, String message) {
        return new LoadResult(List.of(), List.of(new ManifestProblem(source, 0, null, message)), List.of());
    }

    /** Mutable lists while loading; frozen into a LoadResult at the end. */
    private static final class Results {
        final List<ManifestDocument> documents = new ArrayList<>();
        final List<ManifestProblem> errors = new ArrayList<>();
        final List<ManifestProblem> warnings = new ArrayList<>();

        void add(LoadResult r) {
            documents.addAll(r.documents());
            errors.addAll(r.errors());
            warnings.addAll(r.warnings());
        }

        LoadResult toResult() { return new LoadResult(documents, errors, warnings); }
    }
}
