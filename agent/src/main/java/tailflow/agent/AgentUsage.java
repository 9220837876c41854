package tailflow.agent;

/** What {@code agent --help} prints (kept as text: the command line is parsed by hand, {@link AgentArgs}). */
final class AgentUsage {
    private AgentUsage() {}

    static final String TEXT = """
            Usage: agent [--config FILE] [--hsflowd-config FILE] [--dry-run [--sample-lines FILE]]
                         [--print-config-stderr] [--stdout] [-config.expand-env[=BOOL]] [-h] [-V]
            Tails log files into Grafana Loki (Promtail's config) and samples packets into sFlow v5 (hsflowd's config).

            Give an agent.yaml or a Promtail config with --config, an hsflowd.conf with --hsflowd-config, or both.
            When both are given, the hsflowd.conf supplies the sflow settings and an sflow: block in the YAML is
            ignored (with a warning).
            ${VAR} and ${VAR:-default} in YAML values are expanded (HOSTNAME falls back to the machine's hostname);
            write $$ for a literal $.

                  --config, -config.file, --config.file FILE
                                        agent.yaml or Promtail config file (Promtail: -config.file)
                  --hsflowd-config FILE hsflowd.conf; supplies the sflow settings (wins over an sflow: block in
                                        --config)
                  -config.expand-env, --config.expand-env[=BOOL]
                                        expand ${VAR} and ${VAR:-default} in the YAML (default: true; unlike
                                        Promtail, on unless =false is given)
                  -dry-run, --dry-run   print the effective config, the files each job matches now, the interfaces
                                        and rates it would sample, the agent address and collectors; start nothing
                  --sample-lines FILE   with --dry-run: run each file job's pipeline_stages on the lines of FILE and
                                        print the entries they make (labels, timestamp, structured metadata, line)
                                        and the drops
                  -print-config-stderr, --print-config-stderr
                                        print the effective config (secrets masked) to stderr, then run
                  --stdout              run, but print log entries to stdout instead of pushing them to Loki
              -h, --help                show this help and exit
              -V, --version             print the version and exit
            Options take their value as the next argument or after '=' (--config=FILE).

            Exit codes:
              0   ok (for --dry-run: the config is valid)
              1   runtime failure
              2   config or usage error, printed as FILE:LINE:COLUMN: KEY: what was expected

            Examples:
              Check a config; show what would be tailed, sampled and sent (starts nothing):
                agent --dry-run --config /etc/tailflow/agent.yaml
              Drop-in for Promtail (the unit's ExecStart line, only the binary changed):
                agent -config.file /etc/promtail/promtail-config.yaml
              Replace Promtail and hsflowd at once, keeping both config files:
                agent --config promtail-config.yaml --hsflowd-config /etc/hsflowd.conf
              Try the log pipeline without Loki (print entries instead of pushing):
                agent --stdout --config configs/agent.yaml
              Check a job's pipeline_stages on sample lines:
                agent --dry-run --config agent.yaml --sample-lines sample.log

            Migrating: Promtail's config and positions file and hsflowd.conf work as written. Keys tailflow does not
            implement (syslog, kafka, service discovery, nflog { }, docker { }, ...) are reported as
            'not supported yet' warnings; unknown keys are errors. agent.yaml is Promtail's schema plus an sflow:
            block.
            """;
}
