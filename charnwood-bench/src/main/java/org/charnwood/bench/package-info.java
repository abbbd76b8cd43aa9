/**
 * The benchmark harness: a command line ({@link org.charnwood.bench.BenchCli}) whose subcommands each run one
 * phase against a running Charnwood server (transaction ingest, search mix, bulk NDJSON import, scale) or against
 * a scratch PostgreSQL (the raw-insert baselines), using the demo generator's England-shaped patients, and print
 * the figures as a markdown {@link org.charnwood.bench.Report}. It measures; it never runs in the test suite.
 */
package org.charnwood.bench;
