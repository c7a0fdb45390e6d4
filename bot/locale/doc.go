// Package locale is what the bot says, in every language it speaks: one
// Catalogue per language, bundling the participants' texts (Messages),
// the organisers' (OrganiserMessages), the paperwork's, the intake
// rules', the walk-in desk's, admission's and the seat offers', the
// report texts (report.Texts: dates, months, export headers) and the
// language's names of the commands. Package bot decides what to say and
// when; this package only holds the words.
//
// A language is its catalogue files here (messages_xx.go with
// catalogueXX, which names the parts and the commands, and the
// *_messages_xx.go beside each type) and one line in the registry
// (languages, languages.go). Callers find a language by code with For,
// or Worded for a course's own word for a batch (course.batch_word),
// list them with All and Codes, and read a command typed in any
// language with Canonical.
//
// The invariants, each kept by a test of this package:
//
//   - Every language has every text: each catalogue is a struct of
//     strings, so a text missing from a language is a compile error, and
//     the tests fail on one left empty or a map (hints, errors) with a
//     key another language lacks.
//   - The verbs agree: a text has the same format verbs in the same order
//     in every language, so that Sprintf never prints %!d(MISSING).
//   - The first language of the registry (Indonesian) is the fallback:
//     For, Worded and every lookup give it for a code the bot does not
//     speak. Its command names are the canonical ones.
//   - A course's batch word changes only the words for a batch: without
//     one (word "") Worded is the language's own catalogue, text for text,
//     and each worded catalogue is built once.
//
// Catalogues are built once, when the program starts, and never change;
// they are shared by every goroutine. Texts are HTML (Telegram's subset):
// whatever a person typed is escaped by the caller before it is put in.
package locale
