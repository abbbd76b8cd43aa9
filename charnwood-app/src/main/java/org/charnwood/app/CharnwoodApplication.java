package org.charnwood.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CharnwoodApplication {
    public static void main(String[] args) {
        SpringApplication.run(CharnwoodApplication.class, args);
    }
}
