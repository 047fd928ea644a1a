//! Terraform plans and state into the infrastructure model.
