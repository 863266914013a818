/**
 * The {@code mo} command: one picocli subcommand class per verb ({@code server},
 * {@code agent}, {@code apply}, {@code get}, {@code describe}, {@code delete}, {@code logs}).
 * Client commands talk to the control plane through {@link dev.mo.api.MoClient}; output
 * goes through the command's own writers so tests can run {@code Main.run(args)}.
 */
package dev.mo.cli;
