package io.fulcrum.config;

import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Protocol;
import io.fulcrum.tls.LoadedCertificate;
import io.fulcrum.tls.SslPolicy;
import io.fulcrum.tls.TlsMaterialException;
import io.fulcrum.tls.TlsProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTPS and TLS listener checks that need more than the records: the security policy is one Fulcrum knows and the
 * TLS provider can honour, and each certificate's files load (exist, parse, key matches, valid now).
 * Run at config time, so `fulcrum validate` reports a bad certificate before anything serves it.
 */
final class TlsChecks {
    private TlsChecks() {
    }

    static List<ConfigProblem> problems(FulcrumConfig config, Clock clock) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < config.loadBalancers().size(); i++) {
            LoadBalancer lb = config.loadBalancers().get(i);
            for (int j = 0; j < lb.listeners().size(); j++) {
                Listener listener = lb.listeners().get(j);
                if (listener.protocol() == Protocol.HTTPS || listener.protocol() == Protocol.TLS) {
                    listener("loadBalancers[" + i + "].listeners[" + j + "]", listener, clock, problems);
                }
            }
        }
        return problems;
    }

    private static void listener(String path, Listener listener, Clock clock, List<ConfigProblem> problems) {
        String name = listener.sslPolicy();
        SslPolicy policy = name == null ? null : SslPolicy.byName(name);
        if (name != null && policy == null) {
            problems.add(new ConfigProblem(path + ".sslPolicy", '"' + name + '"'
                    + DidYouMean.hint(name, SslPolicy.names())));
        } else if (policy != null) {
            String refusal = TlsProvider.current().refusal(policy);
            if (refusal != null) {
                problems.add(new ConfigProblem(path + ".sslPolicy", name + ": " + refusal));
            }
        }
        for (int k = 0; k < listener.certificates().size(); k++) {
            ListenerCertificate files = listener.certificates().get(k);
            String certificatePath = path + ".certificates[" + k + "]";
            try {
                LoadedCertificate.load(files, clock);
            } catch (TlsMaterialException e) {
                String field = e.file().equals(files.keyFile()) && !e.file().equals(files.certificateFile())
                        ? ".keyFile" : ".certificateFile";
                problems.add(new ConfigProblem(certificatePath + field, e.getMessage()));
            }
        }
    }
}
