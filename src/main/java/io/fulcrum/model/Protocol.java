package io.fulcrum.model;

/**
 * Listener and target group protocols, with ELBv2's names. {@code UDP} and {@code TCP_UDP} are NLB's:
 * a UDP listener forwards datagrams to a UDP or TCP_UDP target group; a TCP_UDP group takes both a TCP
 * and a UDP listener's traffic on the same target ports.
 */
public enum Protocol {
    HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP;

    /** True for the protocols of NLB's listeners and target groups that carry TCP byte streams. */
    public boolean carriesTcp() {
        return this == TCP || this == TLS || this == TCP_UDP;
    }

    /** True for the protocols that carry UDP datagrams. */
    public boolean carriesUdp() {
        return this == UDP || this == TCP_UDP;
    }
}
