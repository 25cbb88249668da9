package io.fulcrum.tls;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cipher names AWS's policy tables use (OpenSSL's) and their IANA names, which both of Netty's
 * providers accept and which an {@link javax.net.ssl.SSLSession} reports.
 */
public final class CipherNames {
    private static final Map<String, String> AWS_TO_IANA = new LinkedHashMap<>();
    private static final Map<String, String> IANA_TO_AWS = new LinkedHashMap<>();

    static {
        pair("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256");
        pair("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384");
        pair("TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
        pair("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        pair("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        pair("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
        pair("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
        pair("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        pair("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        pair("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        pair("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        pair("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
        pair("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
        pair("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
        pair("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
        pair("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256");
        pair("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256");
        pair("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");
        pair("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384");
        pair("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256");
        pair("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");
    }

    private CipherNames() {
    }

    private static void pair(String aws, String iana) {
        AWS_TO_IANA.put(aws, iana);
        IANA_TO_AWS.put(iana, aws);
    }

    /** The IANA name of a cipher named as in AWS's tables. */
    public static String iana(String awsName) {
        String iana = AWS_TO_IANA.get(awsName);
        if (iana == null) {
            throw new IllegalArgumentException("awsName: " + awsName + " (expected: a cipher of AWS's policy tables)");
        }
        return iana;
    }

    /** The name AWS's access logs and tables use for a cipher the session reports by its IANA name. */
    public static String aws(String ianaName) {
        return IANA_TO_AWS.getOrDefault(ianaName, ianaName);
    }
}
