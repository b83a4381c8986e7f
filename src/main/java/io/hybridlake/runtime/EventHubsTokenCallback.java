package io.hybridlake.runtime;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Kafka's OAUTHBEARER login with Entra ID: a token for {@code https://<namespace>.servicebus.windows.net/.default}
 * from DefaultAzureCredential (the Function App's managed identity, with the Event Hubs Data
 * Sender/Receiver roles), so no connection string exists anywhere. Kafka refreshes it before expiry.
 */
public final class EventHubsTokenCallback implements AuthenticateCallbackHandler {
    private TokenCredential credential;
    private String scope;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        Object servers = configs.get("bootstrap.servers");
        String first = servers instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(servers).split(",")[0];
        String host = first.replaceFirst("^[a-zA-Z]+://", "").replaceFirst(":\\d+$", "");
        this.scope = "https://" + host + "/.default";
        this.credential = new DefaultAzureCredentialBuilder().build();
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (!(callback instanceof OAuthBearerTokenCallback tokenCallback)) {
                throw new UnsupportedCallbackException(callback);
            }
            AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
            long expires = token.getExpiresAt().toInstant().toEpochMilli();
            tokenCallback.token(new OAuthBearerToken() {
                @Override
                public String value() {
                    return token.getToken();
                }

                @Override
                public Set<String> scope() {
                    return Set.of(scope);
                }

                @Override
                public long lifetimeMs() {
                    return expires;
                }

                @Override
                public String principalName() {
                    return "hybridlake";
                }

                @Override
                public Long startTimeMs() {
                    return null;
                }
            });
        }
    }

    @Override
    public void close() {
    }
}
