package io.fulcrum.tls;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A security policy with AWS's name and meaning: the protocols and ciphers (in the server's order of
 * preference) an HTTPS listener offers. docs/tls-policies.md is the same table for users.
 *
 * @param protocols JSSE names: TLSv1.3, TLSv1.2, TLSv1.1, TLSv1
 * @param ciphers AWS's (OpenSSL's) names, most preferred first
 */
public record SslPolicy(String name, List<String> protocols, List<String> ciphers) {
    private static final List<String> TLS13 = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    private static final List<String> ECDHE_GCM = List.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384");
    /** The TLS 1.2 column of AWS's table (ELBSecurityPolicy-TLS-1-2-2017-01). */
    private static final List<String> TLS12 = List.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
            "AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256");
    /** ELBSecurityPolicy-2016-08's ciphers: TLS12's plus the CBC-SHA1 ones older clients need. */
    private static final List<String> CLASSIC = List.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
            "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
            "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
            "AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA",
            "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA");
    private static final List<String> FS_12_RES = List.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384");

    private static final Map<String, SslPolicy> BY_NAME = new LinkedHashMap<>();

    static {
        add("ELBSecurityPolicy-TLS13-1-2-2021-06", List.of("TLSv1.3", "TLSv1.2"), concat(TLS13, TLS12));
        add("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", List.of("TLSv1.3", "TLSv1.2"), concat(TLS13, ECDHE_GCM));
        add("ELBSecurityPolicy-TLS13-1-3-2021-06", List.of("TLSv1.3"), TLS13);
        add("ELBSecurityPolicy-TLS-1-2-2017-01", List.of("TLSv1.2"), TLS12);
        add("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", List.of("TLSv1.2"), CLASSIC);
        add("ELBSecurityPolicy-FS-1-2-Res-2019-08", List.of("TLSv1.2"), FS_12_RES);
        add("ELBSecurityPolicy-TLS-1-1-2017-01", List.of("TLSv1.2", "TLSv1.1"), CLASSIC);
        add("ELBSecurityPolicy-2016-08", List.of("TLSv1.2", "TLSv1.1", "TLSv1"), CLASSIC);
    }

    public SslPolicy {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    private static void add(String name, List<String> protocols, List<String> ciphers) {
        BY_NAME.put(name, new SslPolicy(name, protocols, ciphers));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The policy of this name, or null when Fulcrum does not know it. */
    public static SslPolicy byName(String name) {
        return BY_NAME.get(name);
    }

    /** The names of every supported policy, in the order of docs/tls-policies.md. */
    public static Set<String> names() {
        return java.util.Collections.unmodifiableSet(BY_NAME.keySet());
    }

    /** The IANA names of this policy's ciphers, in its order. */
    public List<String> ianaCiphers() {
        return ciphers.stream().map(CipherNames::iana).toList();
    }
}
