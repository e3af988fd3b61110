"""Where conversations and their locks live (endpoints.yml): this process's memory, or Redis for scale-out."""
