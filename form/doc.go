// Package form parses and checks the answers a person types (or shares) in
// reply to the questions of the registration form.
//
// Each check returns the value to store, normalised (a phone number in E.164,
// a NIK as 16 digits, a date as "YYYY-MM-DD", a number in canonical decimal,
// the Indonesian text of a choice), or an *Error whose Code says what is wrong.
// The bot turns a Code into a friendly, localized explanation; this package
// never produces text meant for people.
//
// Check checks an accepted answer against the rest of the form: the name
// has a letter, a birth date gives a plausible age at the batch start, a
// NIK and a birth date agree. The conversation calls it after Parse.
//
// Kinds is the one table of field kinds: for each its parser, what min and
// max bound, whether it has options, the keyboard its question shows, the
// catalogue keys of its hint and error texts and how a stored answer is
// shown. Config validation and the conversation read the table instead of
// switching on a field's kind, so a new kind is a file here (its parser
// and its Kind), one line in Kinds, and its texts in the bot's catalogues.
//
// Invariants:
//   - The functions are pure: no I/O, no logging, no clock (a date check
//     receives now), no package-level mutable state; they are safe for
//     concurrent use.
//   - An error never contains the input: answers are personal data (names,
//     phone numbers, NIK) and errors end up in logs.
//   - A value returned without error is accepted again, unchanged, by the same
//     check (Phone(out) == out, NIK(out) == out, Text(out) == out, ...).
//   - Any input, however long or malformed (invalid UTF-8, NUL bytes, control
//     and format characters), yields a value or an *Error, never a panic.
package form
