// Messages from a coordinator to a group of volunteers (views/messages/new, preview, list and
// message): the form, the preview, who an audience is, and what the form says when it refuses.
// The sent list and one sent message reuse coordinator.messages.* for their table words.
export const messagesEn = {
  count: {
    volunteers_one: '{{count}} volunteer',
    volunteers_other: '{{count}} volunteers',
  },
  /** Who a message is for, worded when shown (stored as kind, id and names: src/messages/audience-wording.ts). */
  audience: {
    session: '{{title}}, {{date}}, {{branch}}',
    sessionOption: '{{title}}, {{date}} {{time}}, {{branch}}',
    branch: 'Volunteers at {{branch}}',
    language: '{{skill}} speakers',
    languageAt: '{{skill}} speakers at {{branch}}',
    topic: 'Volunteers who help with {{skill}}',
    topicAt: 'Volunteers who help with {{skill}} at {{branch}}',
    topicOption: 'Help with {{skill}}',
  },
  form: {
    title: 'Message volunteers',
    notSent: 'Your message has not been sent',
    intro: 'Write to the volunteers of a session, a branch, or with a skill or language. You will see how many will get it, and the email, before you send it. Replies come to you at {{email}}.',
    yourEmail: 'your email address',
    who: 'Who is it for?',
    whoHint: 'Everyone booked or waiting on a session, the active volunteers of a branch, or active volunteers of your branches with a skill or language. People who have turned off messages from coordinators only get messages about a session they are on.',
    chooseWho: 'Choose who',
    groups: {
      session: 'A session',
      branch: 'A branch',
      skill: 'A skill or language',
    },
    subject: 'Subject',
    subjectHint: '{{max}} characters or fewer.',
    body: 'Message',
    bodyHint: 'Plain text, {{max}} characters or fewer. Leave an empty line between paragraphs. We add “Hello” and their name, and your name at the end.',
    preview: 'Preview',
    sent: 'Messages you have sent',
  },
  preview: {
    title: 'Check your message',
    cannotSend: 'You cannot send this message yet',
    warning: 'Warning',
    changed: 'Your message has not been sent: it would now go to {{volunteers}}, not {{previous}}. Check and send again.',
    changedUnknown: 'Your message has not been sent: it would now go to {{volunteers}}, not the number shown before. Check and send again.',
    to: 'To',
    howMany: 'How many',
    willGet: '{{volunteers}} will get it',
    replies: 'Replies go to',
    turnedOff: 'Turned off',
    unsubscribable: 'People who have turned off messages from coordinators will not get it. Each email has a link to turn them off.',
    sessionOnly: 'It is about a session they are on, so everyone on it gets it.',
    email: 'The email',
    emailSubject: 'Subject: {{subject}}',
    send: 'Send to {{volunteers}}',
    change: 'Change the message',
    theirName: '[their name]',
    theirLink: '[their own link to turn these off]',
  },
  /** What the form says when it refuses. */
  errors: {
    audience: 'Select who the message is for',
    nobody: 'Nobody would receive this message: choose another group',
    limit: 'You have sent {{count}} group messages today. You can send more from {{time}}',
    subject: 'Subject',
    aSubject: 'a subject',
    message: 'Message',
    theMessage: 'the message',
  },
  /** Refusals of group messages and their unsubscribe links (thrown by src/messages). */
  refusal: {
    noSession: 'There is no such session',
    noSkill: 'There is no such skill or language',
    notYourService: 'You do not coordinate a branch of this library service',
    noMessage: 'There is no such message',
    linkSignIn: 'This link does not work. Sign in and go to your profile to change the messages you get from coordinators.',
    linkGone: 'This link does not work any more.',
  },
}
