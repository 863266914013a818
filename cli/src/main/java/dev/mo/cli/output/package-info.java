/**
 * What {@code mo get} and {@code mo describe} print, matching kubectl: tables per kind
 * ({@link dev.mo.cli.output.ResourcePrinter}), {@code -o name|json|yaml}, and
 * {@link dev.mo.cli.output.Describer} for {@code describe}. Ages come from a
 * {@link java.time.Clock} so output is exact in tests.
 */
package dev.mo.cli.output;
