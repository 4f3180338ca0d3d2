// email-reply-parser ships no types; the part of its API this project uses.
declare module 'email-reply-parser' {
  interface Email {
    getVisibleText: (options?: { aggressive?: boolean }) => string
  }
  export default class EmailReplyParser {
    read (text: string): Email
  }
}
