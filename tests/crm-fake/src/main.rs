//! `crm-fake [PORT]`: serves the Salesforce and HubSpot fakes on 127.0.0.1 (a free port when
//! none is given), prints `listening on http://127.0.0.1:PORT`, and exits when its standard
//! input closes, so the test that started it bounds its life.

use std::io::Read;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let listener = match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("crm-fake: cannot bind 127.0.0.1:{port}: {e}");
            std::process::exit(2);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("listening on http://{addr}");
    let state = Arc::new(Mutex::new(ringback_crm_fake::State::default()));
    std::thread::spawn(move || ringback_crm_fake::serve(listener, state));
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}
