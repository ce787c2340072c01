"""What `reportgen init` writes: the example workbooks (FinCorp–TechDrive, Q2 and Q3 2025) in
`workbooks`, and the commented `reportgen.toml` in `settings`."""
