// Command netcheck is the lab's network probe (test equipment, standard library only):
//
//	netcheck serve [ADDR]     answer HTTP GET with "netcheck <hostname> <remote address>" (default :8080)
//	netcheck get URL [HOST]   GET URL (with a Host header when given), print the body; exit 1 on failure
//	netcheck resolve NAME     print NAME's addresses from the Pod's resolver; exit 1 on failure
//
// Its image (tests/bundle/real_kubernetes.py) lets the lab's tests prove Pod-to-Pod traffic across
// nodes, cluster DNS, Services and NodePorts on the real cluster.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: netcheck serve [ADDR] | get URL [HOST] | resolve NAME")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		addr := ":8080"
		if len(os.Args) > 2 {
			addr = os.Args[2]
		}
		host, _ := os.Hostname()
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "netcheck %s %s\n", host, r.RemoteAddr)
		})
		fmt.Fprintln(os.Stderr, "netcheck serving on", addr)
		if err := http.ListenAndServe(addr, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "get":
		if len(os.Args) < 3 {
			os.Exit(2)
		}
		req, err := http.NewRequest(http.MethodGet, os.Args[2], nil)
		if err == nil && len(os.Args) > 3 {
			req.Host = os.Args[3]
		}
		if err != nil {
			fail(err)
		}
		client := &http.Client{Timeout: 10 * time.Second}
		resp, err := client.Do(req)
		if err != nil {
			fail(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Print(string(body))
		if resp.StatusCode != http.StatusOK {
			fail(fmt.Errorf("HTTP %d", resp.StatusCode))
		}
	case "resolve":
		if len(os.Args) < 3 {
			os.Exit(2)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		addrs, err := net.DefaultResolver.LookupHost(ctx, os.Args[2])
		if err != nil {
			fail(err)
		}
		for _, a := range addrs {
			fmt.Println(a)
		}
	default:
		os.Exit(2)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "netcheck:", err)
	os.Exit(1)
}
