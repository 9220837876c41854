package tailflow.agent.sflow.record;

/** A record inside an expanded counters sample (0:4). */
public sealed interface CounterRecord extends SflowRecord
        permits GenericInterface, PortName, HostDescr, HostAdapters, HostCpu, HostMemory, HostDiskIo, HostNetIo,
        UnknownRecord {}
