"""Modal questions: confirm a sale, sell a duplicate again, re-type digits, void."""
