import { z } from 'zod'
import type { PeerDirectory } from '../directory.js'
import { SignedProfileSchema, verifyProfile, type SignedProfile } from '../profile.js'
import { WIRE_VERSION } from '../wire/frames.js'
import type { Handlers, ProtocolSpec } from '../wire/spec.js'

export const HANDSHAKE_PROTOCOL = '/secondme/handshake/1.0.0'

const Hello = z.object({
  profile: SignedProfileSchema,
  /** Protocol ids (with versions) the sender speaks. */
  protocols: z.array(z.string().min(1).max(100)).max(20),
  wire: z.string().max(20)
}).strict()

export const handshakeSpec = {
  id: HANDSHAKE_PROTOCOL,
  // Not frame-signed: the profile inside carries the peer's signature.
  signed: false,
  kinds: { hello: { request: Hello, response: Hello } }
} satisfies ProtocolSpec

export type HandshakeSpec = typeof handshakeSpec
export type Hello = z.infer<typeof Hello>

export interface HandshakeDeps {
  ownProfile: () => Promise<SignedProfile>
  protocols: readonly string[]
  directory: PeerDirectory
}

export function helloOf (profile: SignedProfile, protocols: readonly string[]): Hello {
  return { profile, protocols: [...protocols], wire: WIRE_VERSION }
}

/** Check the peer's profile belongs to the connection's peer, remember it, answer with ours. */
export function handshakeHandlers (deps: HandshakeDeps): Handlers<HandshakeSpec['kinds']> {
  return {
    hello: async (body, ctx) => {
      deps.directory.remember(await verifyProfile(body.profile, ctx.peer))
      return helloOf(await deps.ownProfile(), deps.protocols)
    }
  }
}
