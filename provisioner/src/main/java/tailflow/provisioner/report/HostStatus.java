package tailflow.provisioner.report;

/** A host's outcome, as in Ansible's recap. */
public enum HostStatus { OK, CHANGED, FAILED, UNREACHABLE, SKIPPED }
