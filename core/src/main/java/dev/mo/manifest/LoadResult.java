package dev.mo.manifest;
import java.util.List;
public record LoadResult(List<ManifestDocument> documents, List<ManifestProblem> errors, List<ManifestProblem> warnings) {
    public boolean ok() { return errors.isEmpty(); }
}
