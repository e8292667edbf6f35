/**
 * The {@code mlops} command line: {@code serve} a package or a registered model over HTTP,
 * {@code verify} and {@code show} packages, list and search {@code runs}, list registered
 * {@code models}. {@link dev.mlops.cli.Mlops} is the entry point; the runnable jar is
 * {@code mlops-all}.
 */
package dev.mlops.cli;
