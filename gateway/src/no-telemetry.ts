import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';

/**
 * Nothing we run may call out to the internet. What Apollo would otherwise do:
 * - @apollo/gateway 2.x, when constructed without APOLLO_TELEMETRY_DISABLED=1|true,
 *   probes cloud metadata endpoints (AWS/GCP/Azure/Alibaba resource detectors) and
 *   exports OpenTelemetry metrics to usage-reporting.api.apollographql.com hourly
 *   and again on shutdown;
 * - @apollo/server reports usage when APOLLO_KEY + APOLLO_GRAPH_REF are set, and the
 *   schema when APOLLO_SCHEMA_REPORTING=true;
 * - its default landing page loads Apollo Sandbox/Explorer from Apollo's CDN.
 * Uplink (managed federation) is never used: the gateway gets a static supergraphSdl.
 */
export function disableApolloTelemetry(): void {
  // Read by the ApolloGateway constructor, so this must run before it.
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
}

/** Plugins that switch off every Apollo Server reporting and the CDN-hosted landing page. */
export function noPhoneHomePlugins() {
  return [
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    ApolloServerPluginLandingPageDisabled(),
  ];
}
