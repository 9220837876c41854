package tailflow.provisioner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the tailflow provisioner. */
@Command(name = "provisioner", mixinStandardHelpOptions = true, versionProvider = ProvisionerMain.Version.class,
        description = "Rolls the tailflow agent out to hosts over SSH, from Ansible inventories.")
public final class ProvisionerMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProvisionerMain()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties props = new Properties();
            try (InputStream in = ProvisionerMain.class.getResourceAsStream("version.properties")) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"tailflow provisioner " + props.getProperty("version")};
        }
    }
}
