package tailflow.provisioner.plan;

import tailflow.provisioner.bundle.Bundle;

/** What a host should end up with: the release, the rendered config, the unit and its drop-in ("" = none). */
public record DesiredState(Bundle bundle, String config, String unit, String dropIn, boolean installJava, int httpPort) {}
