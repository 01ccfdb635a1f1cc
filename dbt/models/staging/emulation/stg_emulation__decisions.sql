{#- The current decisions of each plan year: the rows of the latest decision batch. -#}
{{ latest_emulation_batch('emulation_decisions', 'decision') }}
