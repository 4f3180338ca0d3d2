import type { Visibility } from '../../scope.js'

export const FACT_CATEGORIES = ['identity', 'work', 'relationships', 'places', 'hobbies', 'health', 'plans', 'events', 'possessions', 'opinions', 'other'] as const
export type FactCategory = typeof FACT_CATEGORIES[number]

/**
 * An L1 fact: a self-contained statement about a named person ("Caroline went to an LGBTQ support
 * group on 7 May 2023."), with provenance to the L0 items (and their own ids, e.g. LoCoMo "D1:3")
 * it was drawn from, and the strictest visibility of those items.
 */
export interface Fact {
  id: string
  person: string
  text: string
  category: FactCategory
  /** Memory item ids the fact was drawn from. */
  sources: string[]
  /** The sources' own ids (dialogue ids), when they have them. */
  refs: string[]
  /** When it happened: a resolved date from the text, else the time of the source. */
  time?: string
  /** When the source was said or written. */
  said?: string
  /** Where its source stands in its thread (turn or passage order), to tell what was said first. */
  seq?: number
  visibility: Visibility
}

/** One L0 item as the extractor sees it. */
export interface FactSource {
  id: string
  text: string
  speaker?: string
  time?: string
  ref?: string
  /** Side text (e.g. a shared photo's caption). */
  extra?: string
  visibility: Visibility
  /** Items of one thread are neighbours in seq order (a session, a note). */
  thread: string
  seq: number
}

export interface ExtractOptions {
  /** Who "I" is in items without a speaker (notes written by the owner). */
  owner?: string
}
