fn main() -> std::process::ExitCode {
    checkout_conformance::cli::main()
}
