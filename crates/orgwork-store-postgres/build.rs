// Rebuilds the crate when a migration is added: `sqlx::migrate!` embeds the folder at compile
// time and does not itself tell cargo to watch it (what `sqlx migrate build-script` writes).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
