package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns their paths.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mamori test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

func TestServeOverTLS(t *testing.T) {
	cert, key := selfSigned(t)
	t.Run("HTTPS with Secure cookies", func(t *testing.T) {
		s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key)
		if !strings.HasPrefix(s.URL, "https://") {
			t.Fatalf("serving at %s", s.URL)
		}
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(s.URL + "/lang/en")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		ck := res.Header.Get("Set-Cookie")
		if !strings.Contains(ck, "Secure") || !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
			t.Fatalf("cookie over TLS: %q", ck)
		}
		if res.Header.Get("Strict-Transport-Security") == "" {
			t.Fatal("no HSTS over TLS")
		}
	})
	t.Run("a certificate without its key is refused before anything starts", func(t *testing.T) {
		dir := t.TempDir()
		_, _, err := cli(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--tls-cert", cert)
		if err == nil || !strings.Contains(err.Error(), "--tls-key") || exitCode(err) == 0 {
			t.Fatalf("err = %v", err)
		}
		if exists(dbFile(dir)) {
			t.Fatal("the database was created despite the error")
		}
	})
	t.Run("an unreadable certificate is named", func(t *testing.T) {
		_, _, err := cli(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--tls-cert", key, "--tls-key", key)
		if err == nil || !strings.Contains(err.Error(), "TLS certificate") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a bad trusted proxy is named", func(t *testing.T) {
		_, _, err := cli(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/99")
		if err == nil || !strings.Contains(err.Error(), "10.0.0.0/99") {
			t.Fatalf("err = %v", err)
		}
	})
}
