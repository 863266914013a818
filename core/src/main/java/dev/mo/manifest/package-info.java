/**
 * Reading, checking and defaulting Kubernetes manifests.
 *
 * <ul>
 *   <li>{@link dev.mo.manifest.ManifestLoader} reads files, directories and stdin (YAML or JSON, many documents
 *       a file, {@code kind: List}) into Jackson trees, remembering the line of every field.</li>
 *   <li>{@link dev.mo.manifest.Validator} checks one object: kind and apiVersion, every field against a schema of
 *       the Kubernetes API types ({@code kubernetes-schema.txt}), then the value rules Kubernetes applies.
 *       It also warns about fields mo accepts but does not act on yet ({@link dev.mo.manifest.SupportedFields}).</li>
 *   <li>{@link dev.mo.manifest.Defaults} fills in what the Kubernetes API server fills in.</li>
 *   <li>{@link dev.mo.manifest.Quantity} reads resource quantities such as {@code 500m} and {@code 128Mi}.</li>
 * </ul>
 * Nothing here throws for bad input: every problem becomes a {@link dev.mo.manifest.ManifestProblem}
 * with file, line and field path.
 */
package dev.mo.manifest;
