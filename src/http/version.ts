/** Version of the HTTP API (/api, /v1, MCP server info, A2A card). */
export const HTTP_API_VERSION = '1.0.0'
