// Package deploytest serves the included site the way it is deployed and
// checks it over HTTP: a real nginx (deploy/nginx/kb.conf, workers running
// as another user when the tests run as root) in front of real kb serve
// processes, with builds running underneath.
//
// The tests need /usr/sbin/nginx (Debian: nginx-light). Without it they
// skip, unless CI=true, where a missing nginx is a failure. -short skips
// them (they build the site several times: about 30 s on 2 cores).
package deploytest
