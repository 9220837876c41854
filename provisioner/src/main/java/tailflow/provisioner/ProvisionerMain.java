package tailflow.provisioner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import tailflow.provisioner.cli.ApplyCommand;
import tailflow.provisioner.cli.FactsCommand;
import tailflow.provisioner.cli.InventoryCommand;
import tailflow.provisioner.cli.SflowGroupsCommand;
import tailflow.provisioner.cli.StatusCommand;
import tailflow.provisioner.cli.UninstallCommand;
import tailflow.provisioner.inventory.InventoryException;

/** Entry point of the tailflow provisioner. */
@Command(name = "provisioner", mixinStandardHelpOptions = true, versionProvider = ProvisionerMain.Version.class,
        description = "Rolls the tailflow agent out to hosts over SSH, from Ansible inventories.",
        subcommands = {ApplyCommand.class, FactsCommand.class, StatusCommand.class, UninstallCommand.class,
                InventoryCommand.class, SflowGroupsCommand.class})
public final class ProvisionerMain implements Runnable {

    /** Bad input (inventory, variables, options): reported before any host is contacted. */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new ProvisionerMain());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InventoryException || e instanceof IllegalArgumentException
                    || e instanceof UncheckedIOException || e instanceof IOException) {
                commandLine.getErr().println("provisioner: " + e.getMessage());
                commandLine.getErr().println("nothing was contacted.");
                return EXIT_USAGE;
            }
            throw e;
        });
        return cmd;
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
