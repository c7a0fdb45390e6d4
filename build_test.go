package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Ensure that scripts/build.sh stamps the version: it builds this
// machine's target, whose `daftar version` prints it, and lists the file
// with its right checksum in SHA256SUMS. (One target only: the cross
// builds cost a minute and prove nothing more about the stamp.)
func TestBuildScript_StampsTheVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	sh, err := exec.LookPath("sh")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no POSIX sh")
	}
	dist := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	cmd := exec.Command(sh, "scripts/build.sh", target)
	cmd.Env = append(os.Environ(), "VERSION=v9.8.7-test", "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	name := "daftar-v9.8.7-test-" + runtime.GOOS + "-" + runtime.GOARCH
	out, err := exec.Command(filepath.Join(dist, name), "version").CombinedOutput()
	if err != nil {
		t.Fatalf("daftar version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "daftar v9.8.7-test go") {
		t.Errorf("daftar version printed %q", out)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(filepath.Join(dist, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(bin)
	if want := hex.EncodeToString(sum[:]) + "  " + name + "\n"; string(sums) != want {
		t.Errorf("SHA256SUMS = %q, want %q", sums, want)
	}
}
