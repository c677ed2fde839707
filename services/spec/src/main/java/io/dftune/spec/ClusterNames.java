package io.dftune.spec;

/** Name syntaxes of the Kubernetes API that cluster fields must follow. */
final class ClusterNames {
    static final int DNS_SUBDOMAIN_MAX = 253;
    static final int LABEL_VALUE_MAX = 63;
    static final String DNS_SUBDOMAIN_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    /** A non-empty label value (queue names are label values). */
    static final String LABEL_VALUE_PATTERN = "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
    /** A label key: an optional DNS-subdomain prefix and '/', then a name. */
    static final String LABEL_KEY_PATTERN =
            "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";

    private ClusterNames() {}
}
