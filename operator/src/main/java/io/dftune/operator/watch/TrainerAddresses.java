package io.dftune.operator.watch;

/**
 * Where the operator reaches the trainer of a FineTuneJob ({@code host:port}, gRPC). A bean, so
 * tests can reach trainers that run as local processes.
 */
public interface TrainerAddresses {
    String address(String namespace, String name);
}
