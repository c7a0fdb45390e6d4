package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/daftar-bot/daftar/store"
)

// runInit is `daftar init`: it asks an organiser for the course one
// question at a time (initQuestions), writes a commented config.toml and
// runs the checks of `daftar check` on it. Every answer is checked at once
// by the config validator itself (loadConfig on the config the answers so
// far make), so init and check can never disagree; a refused answer is
// explained and asked again. Input that ends early writes nothing.
func runInit(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	path := fs.String("config", "config.toml", "the config `file` to write")
	lang := fs.String("lang", "id", "the language of the questions: id or en")
	force := fs.Bool("force", false, "overwrite an existing config (and token file)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *lang != "id" && *lang != "en" {
		err := fmt.Errorf("init: -lang %q: want id or en", *lang)
		fmt.Fprintln(stderr, "daftar", err)
		return &exitError{code: 2, err: err}
	}
	t := func(x initText) string { return x.in(*lang) }
	if _, err := os.Stat(*path); err == nil && !*force {
		// Said before the first question, not after the last.
		err := fmt.Errorf("init: %s exists", *path)
		fmt.Fprintf(stderr, "daftar init: %s\n", fmt.Sprintf(t(txtExists), *path))
		return &exitError{code: 1, err: err}
	}
	dir, err := os.MkdirTemp("", "daftar-init-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	s := &initSession{
		lang: *lang, in: bufio.NewReader(stdin), out: stdout,
		scratch:   filepath.Join(dir, "config.toml"),
		tokenPath: filepath.Join(filepath.Dir(*path), initTokenFile), force: *force,
	}
	a := defaultAnswers()
	fmt.Fprintln(stdout, t(txtIntro))
	for _, q := range initQuestions() {
		if q.when != nil && !q.when(a) {
			continue
		}
		if err := s.ask(q, a); err != nil {
			if errors.Is(err, io.EOF) {
				fmt.Fprintln(stderr, "\ndaftar init: "+t(txtEOF))
				return &exitError{code: 1, err: errors.New("init: input ended early; nothing written")}
			}
			return err
		}
	}

	if a.Token != "" {
		if err := store.WriteFile(s.tokenPath, func(w io.Writer) error {
			_, err := io.WriteString(w, a.Token+"\n")
			return err
		}); err != nil {
			return err
		}
	}
	if _, err := os.Stat(*path); err == nil && !*force {
		err := fmt.Errorf("init: %s exists", *path)
		fmt.Fprintf(stderr, "daftar init: %s\n", fmt.Sprintf(t(txtExists), *path))
		return &exitError{code: 1, err: err}
	}
	if err := store.WriteFile(*path, func(w io.Writer) error {
		_, err := io.WriteString(w, renderConfig(a, s.lang))
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n"+t(txtWritten)+"\n\n", *path)

	// What `daftar check` does, with the real environment: the token
	// given in TELEGRAM_BOT_TOKEN, say, is checked too.
	cfg, err := loadConfig(*path, getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return &exitError{code: 1, err: err}
	}
	if err := printCheck(stdout, cfg); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	next := t(txtNextEnv)
	if a.Token != "" || cfg.bot != nil {
		next = t(txtNextRun)
	}
	fmt.Fprintf(stdout, "\n"+next+"\n", *path)
	return nil
}

// initSession is one run of init's questions.
type initSession struct {
	lang      string
	in        *bufio.Reader
	out       io.Writer
	scratch   string // where each candidate config is written to be checked
	tokenPath string
	force     bool
}

// ask asks q until an answer is accepted, and stores it in a. The error
// is io.EOF when the input ends first.
func (s *initSession) ask(q question, a *initAnswers) error {
	fmt.Fprintf(s.out, "\n%s\n", q.help.in(s.lang))
	for {
		def := ""
		if q.def != nil {
			def = q.def(a)
		}
		if def != "" {
			fmt.Fprintf(s.out, "%s [%s]: ", q.ask.in(s.lang), def)
		} else {
			fmt.Fprintf(s.out, "%s: ", q.ask.in(s.lang))
		}
		line, err := s.readLine()
		if err != nil {
			return err
		}
		if line == "" {
			line = def
		}
		b := *a
		if err := q.set(&b, line, s); errors.Is(err, errWrong) {
			fmt.Fprintf(s.out, "  %s\n", q.wrong.in(s.lang))
			continue
		} else if err != nil {
			fmt.Fprintf(s.out, "  %s\n", err)
			continue
		}
		if probs, err := s.problems(&b, q.keys); err != nil {
			return err
		} else if len(probs) > 0 {
			fmt.Fprintf(s.out, "  %s\n", q.wrong.in(s.lang))
			for _, p := range probs {
				fmt.Fprintf(s.out, "  (%s)\n", p)
			}
			continue
		}
		*a = b
		return nil
	}
}

// readLine reads one answer without its line ending; a last line without
// one is an answer too.
func (s *initSession) readLine() (string, error) {
	line, err := s.in.ReadString('\n')
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// problems writes the config that a makes and loads it as `daftar check`
// would, and returns what the validator says about the given keys (the
// rest is not answered yet). The environment is empty: the token is not
// a key of the file.
func (s *initSession) problems(a *initAnswers, keys []string) ([]string, error) {
	if err := os.WriteFile(s.scratch, []byte(renderConfig(a, s.lang)), 0o600); err != nil {
		return nil, err
	}
	_, err := loadConfig(s.scratch, func(string) string { return "" })
	var ce *configError
	if !errors.As(err, &ce) {
		return nil, err
	}
	var out []string
	for _, p := range ce.problems {
		// "FILE:LINE: key …": the key says which question it is about.
		text := strings.TrimPrefix(p.text, s.scratch)
		if _, rest, ok := strings.Cut(text, ": "); ok {
			text = rest
		}
		for _, k := range keys {
			if text == k || strings.HasPrefix(text, k+" ") || strings.HasPrefix(text, k+":") || strings.HasPrefix(text, k+"[") {
				out = append(out, text)
				break
			}
		}
	}
	return out, nil
}
