// Package conversation is a participant's conversation with the bot as a
// pure transition function: Next says what one input (a text, a command,
// a contact, a button press) does to a stored store.Conversation and what
// the bot answers; when the transition asks the store for something (an
// Effect: take a seat, join a waiting list, answer the survey …), Settle
// says how it went once the store has done it.
//
// The handler in package bot drives it: it loads the conversation and the
// World (the person's standing, the courses, the time, the intake rules'
// verdict on the answer being given) in one store transaction, calls
// Next, carries out the Effect and calls Settle in the same transaction,
// saves the Outcome's conversation and replies, and sends them after the
// commit.
//
// The invariants:
//
//   - Next and Settle are pure: no I/O, no clock (the time is World.Now),
//     no randomness, no state of their own. The same conversation, input
//     and world give the same outcome, which is what FuzzNext checks.
//   - The package imports no stateful package: store for its types and
//     rules only (never a transaction), form, bot/locale, bot/callback,
//     and telegram for its wire types (Message, Button, Input) only.
//   - The state names (State*) and button actions (Act*) are persisted,
//     in stored conversations and in buttons of messages already sent:
//     they are only ever added, never renamed.
//   - Nothing in a button's data is trusted: a press counts only when it
//     belongs to the message on screen (its Seq) and the state has that
//     button, or when the store's record (an offer, an application, a
//     survey's progress) says it is still open.
//   - The rules about batches and seats (which batches a person may
//     choose, whose dates overlap, when a batch is full, whom the intake
//     rules take) are store's; the conversation asks them and shows the
//     answers.
//
// The files: conversation.go has the states, inputs, effects and
// outcome, and the turn one transition builds; transition.go Next and
// Settle, which dispatch on the state first; transition_form.go the
// form's states (consent, batch, field, summary, edit_pick, full),
// transition_home.go the states outside it (idle, done and the pending
// cancel and erase questions), transition_command.go the commands, which
// work in every state; view_form.go and view_home.go the screens, each
// rendered from the conversation and its world alone; intake.go,
// survey.go and selection.go the intake rules', the survey's and
// admission's part of the transitions; actions.go the buttons' actions.
package conversation
