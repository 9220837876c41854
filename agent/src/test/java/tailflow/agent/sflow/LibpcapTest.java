package tailflow.agent.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LibpcapTest {

    @Test
    void findsDebiansLibpcapWithoutTheDevSymlink() {
        String before = System.getProperty(Libpcap.PROPERTY);
        try {
            System.clearProperty(Libpcap.PROPERTY);
            String[] why = new String[1];
            Libpcap lib = Libpcap.load(why).orElseThrow(() -> new AssertionError(why[0]));
            assertThat(System.getProperty(Libpcap.PROPERTY)).as("set for pcap4j").isEqualTo(lib.name());
        } finally {
            restore(before);
        }
    }

    @Test
    void aMissingLibraryGivesAClearMessage() {
        String before = System.getProperty(Libpcap.PROPERTY);
        try {
            System.setProperty(Libpcap.PROPERTY, "libpcap-not-here.so.9");
            String[] why = new String[1];
            assertThat(Libpcap.load(why)).isEmpty();
            assertThat(why[0]).contains("libpcap not found").contains("apt-get install libpcap0.8")
                    .contains("counters and logs keep running");
        } finally {
            restore(before);
        }
    }

    private static void restore(String value) {
        if (value == null) {
            System.clearProperty(Libpcap.PROPERTY);
        } else {
            System.setProperty(Libpcap.PROPERTY, value);
        }
    }
}
